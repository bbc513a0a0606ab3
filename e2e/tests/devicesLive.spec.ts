import {
  activateDevice,
  advanceClock,
  registerDevice,
  sendHeartbeat,
  uniqueSuffix,
} from '../fixtures/api.ts';
import { expect, test } from '../fixtures/test.ts';
import { DevicesPage } from '../pages/DevicesPage.ts';

test.describe('devices list', () => {
  test("moves a shown device's last heartbeat live, its age ticking", async ({
    signedInPage: page,
  }) => {
    const device = await registerDevice({
      id: `edge-e2e-dl-${uniqueSuffix()}`,
    });
    await activateDevice(device.id);
    await sendHeartbeat(device);

    const devices = new DevicesPage(page);
    const live = await devices.openLive(`id = "${device.id}"`);
    const lastHeartbeat = devices.lastHeartbeat(device.id);
    await expect(lastHeartbeat).toHaveText(/^\d s ago$/);
    await live.settle();

    // Well inside the 180 s timeout: the device stays healthy, so no state
    // event refetches the page; only the heartbeat itself can move it.
    await advanceClock(60_000);
    await expect(lastHeartbeat).toHaveText(/^1 min \d s ago$/);
    await sendHeartbeat(device);
    await expect(lastHeartbeat).toHaveText(/^\d s ago$/);
  });
});
