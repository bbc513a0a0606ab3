import type { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../logger.ts';

/**
 * Close code sent to a client whose unread backlog passed the limit: 4413,
 * "too large" as HTTP's 413. It collides with no graphql-ws code (4499 is
 * its client's own "Terminated"), and its client reconnects after it, as
 * after any 4xxx code outside its fatal list.
 */
export const SLOW_CONSUMER_CLOSE_CODE = 4413;

/** Backlog allowed per WebSocket before it is closed: 4 MiB. */
export const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

type SendCallback = (error?: Error) => void;

/**
 * Makes every socket of `wsServer` fire-and-forget with a backlog limit.
 * graphql-ws awaits each send, so one client that stops reading would
 * otherwise stall its subscriptions while their events pile up in memory;
 * here a send is acknowledged at once, the unread bytes accumulate in the
 * socket's buffer (`bufferedAmount`), and past `maxBufferedBytes` the
 * socket is closed with SLOW_CONSUMER_CLOSE_CODE. Other clients never wait
 * on it.
 */
export function guardSlowConsumers(
  wsServer: WebSocketServer,
  options: { maxBufferedBytes: number; logger: Logger },
): void {
  wsServer.on('connection', (socket: WebSocket) => {
    const send = socket.send.bind(socket);
    let isOverLimit = false;

    const guarded = (
      data: string | Buffer,
      optionsOrCallback?: object | SendCallback,
      maybeCallback?: SendCallback,
    ) => {
      const callback =
        typeof optionsOrCallback === 'function'
          ? optionsOrCallback
          : maybeCallback;
      const sendOptions =
        typeof optionsOrCallback === 'function'
          ? {}
          : (optionsOrCallback ?? {});

      if (isOverLimit || socket.readyState !== socket.OPEN) {
        callback?.();
        return;
      }

      const size =
        typeof data === 'string' ? Buffer.byteLength(data) : data.length;
      if (socket.bufferedAmount + size > options.maxBufferedBytes) {
        isOverLimit = true;
        options.logger.warn(
          { bufferedBytes: socket.bufferedAmount },
          'closing a WebSocket client that stopped reading',
        );
        socket.close(
          SLOW_CONSUMER_CLOSE_CODE,
          'Slow consumer: backlog over limit',
        );
        callback?.();
        return;
      }

      send(data, sendOptions, (error) => {
        if (error)
          options.logger.debug({ err: error.message }, 'WebSocket send failed');
      });
      callback?.();
    };
    socket.send = guarded as WebSocket['send'];
  });
}
