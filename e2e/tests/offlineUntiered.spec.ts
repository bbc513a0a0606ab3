import {
  activateDevice,
  advanceClock,
  deviceStatus,
  gql,
  registerDevice,
  sendHeartbeat,
  uniqueSuffix,
} from '../fixtures/api.ts';
import { expect, test } from '../fixtures/test.ts';
import { EscalationPage } from '../pages/QueueViews.ts';

const MINUTE = 60_000;

/** How many devices the API calls offline, at any tier or none. */
async function offlineCount(): Promise<number> {
  const data = await gql<{ devices: { totalCount: number } }>(
    `query { devices(where: "status:offline", first: 0) { totalCount } }`,
  );
  return data.devices.totalCount;
}

// Runs after offlineAndCatchUp.spec.ts: it too moves the server's clock.
test.describe('offline escalation before the first tier', () => {
  test('lists a device offline for less than the warning tier, so the sections add up', async ({
    signedInPage: page,
  }) => {
    const device = await registerDevice({
      id: `edge-e2e-untiered-${uniqueSuffix()}`,
    });
    await activateDevice(device.id);
    await sendHeartbeat(device);
    // Past the 180 s timeout, well before the warning tier's 5 minutes.
    await advanceClock(4 * MINUTE);
    await expect
      .poll(() => deviceStatus(device.id), { timeout: 20_000 })
      .toEqual({ state: 'OFFLINE', offlineTier: null });

    const escalation = new EscalationPage(page);
    await escalation.open();
    const row = escalation
      .tierTable('offline, no tier yet')
      .getByRole('row', { name: new RegExp(device.id) });
    await expect(row.getByRole('cell').nth(2)).toHaveText('healthy');
    await expect(escalation.sectionHeadings().first()).toHaveText(
      /^offline, no tier yet — \d+ devices?$/,
    );
    // Other files' devices may change tier meanwhile: compare one moment.
    await expect
      .poll(async () => {
        const shown = await escalation.countedTotal();
        return shown === null ? null : shown - (await offlineCount());
      })
      .toBe(0);
  });
});
