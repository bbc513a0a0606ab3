import type { Page } from '@playwright/test';

/** A page's live socket, to wait for its subscriptions to be in place. */
export interface LiveSocket {
  /**
   * Waits for two more `serverTime` ticks: once they have arrived, the
   * subscriptions the view opened before the call have reached the server.
   */
  settle(): Promise<void>;
}

/** Runs `open` (a navigation) and returns the live socket it opens. */
export async function openWithLiveSocket(
  page: Page,
  open: () => Promise<void>,
): Promise<LiveSocket> {
  const opened = page.waitForEvent('websocket');
  await open();
  const socket = await opened;
  const tick = () =>
    socket.waitForEvent('framereceived', {
      predicate: (frame) => String(frame.payload).includes('serverTime'),
    });
  return {
    settle: async () => {
      await tick();
      await tick();
    },
  };
}
