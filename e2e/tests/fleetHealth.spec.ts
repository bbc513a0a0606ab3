import {
  activateDevice,
  registerDevice,
  uniqueSuffix,
} from '../fixtures/api.ts';
import { expect, screenshotView, test } from '../fixtures/test.ts';
import { FleetHealthPage } from '../pages/FleetHealthPage.ts';

test.describe('fleet health', () => {
  test('shows counts by state and tier, the active fleet and the 24 h chart', async ({
    signedInPage: page,
  }) => {
    const { id } = await registerDevice({
      id: `edge-e2e-fleet-${uniqueSuffix()}`,
    });
    await activateDevice(id);
    const fleet = new FleetHealthPage(page);
    await fleet.open();
    await expect(fleet.heading()).toBeVisible();
    await expect(fleet.activeFleet()).toBeVisible();
    await expect(fleet.stateTile('healthy')).not.toHaveText(/^healthy0$/);
    await expect(
      page.getByRole('list', { name: 'Offline devices by tier' }),
    ).toContainText('decommission review');
    await expect(fleet.chart()).toBeVisible();
    await screenshotView(page, 'fleet-health');
  });

  test('counts a device activated through the API without a reload', async ({
    signedInPage: page,
  }) => {
    const fleet = new FleetHealthPage(page);
    await fleet.open();
    await expect(page.getByRole('status', { name: /Live updates/ })).toHaveText(
      'Live',
    );
    const before = Number(
      (await fleet.stateTile('healthy').innerText()).replace(/\D/g, ''),
    );

    const { id } = await registerDevice({
      id: `edge-e2e-fleet-live-${uniqueSuffix()}`,
    });
    await activateDevice(id);
    await expect(fleet.stateTile('healthy')).toHaveText(`healthy${before + 1}`);
  });
});
