import type { WebSocketRoute } from '@playwright/test';
import {
  activateDevice,
  e2eServer,
  enterMaintenance,
  registerDevice,
  uniqueSuffix,
} from '../fixtures/api.ts';
import { expect, test } from '../fixtures/test.ts';
import { DeviceDetailPage } from '../pages/DeviceDetailPage.ts';
import { ShellPage } from '../pages/ShellPage.ts';
import { SignInPage } from '../pages/SignInPage.ts';

test.describe('reconnect', () => {
  test('catches up on a change made while the live connection was down', async ({
    page,
  }) => {
    // The dashboard's socket goes through a route that can cut it and hold
    // the next attempts unanswered, like a network outage.
    let isDown = false;
    let current: WebSocketRoute | null = null;
    await page.routeWebSocket(/\/graphql$/, (socket) => {
      current = socket;
      if (!isDown) socket.connectToServer();
    });
    const cut = async () => {
      await current?.close();
    };

    const { id } = await registerDevice({
      id: `edge-e2e-rc-${uniqueSuffix()}`,
    });
    await activateDevice(id);
    const signIn = new SignInPage(page);
    await signIn.open();
    await signIn.signIn(e2eServer().adminKey);
    const detail = new DeviceDetailPage(page);
    const indicator = new ShellPage(page).liveIndicator();
    await detail.open(id);
    await expect(indicator).toHaveText('Live');
    await expect(detail.state()).toHaveText('healthy');

    isDown = true;
    await cut();
    await expect(indicator).toHaveText('Reconnecting…');
    await enterMaintenance(id);
    await expect(detail.state()).toHaveText('healthy');

    isDown = false;
    await cut();
    await expect(indicator).toHaveText('Live');
    await expect(detail.state()).toHaveText('maintenance');
  });
});
