import {
  activateDevice,
  enterMaintenance,
  registerDevice,
  sendHeartbeat,
  uniqueSuffix,
} from '../fixtures/api.ts';
import { expect, screenshotView, test } from '../fixtures/test.ts';
import { DeviceDetailPage } from '../pages/DeviceDetailPage.ts';

test.describe('device detail', () => {
  test('shows the record and only the actions its state allows, and runs one', async ({
    signedInPage: page,
  }) => {
    const { id } = await registerDevice({
      id: `edge-e2e-detail-${uniqueSuffix()}`,
      tags: ['line-3'],
    });
    const detail = new DeviceDetailPage(page);
    await detail.open(id);
    await expect(detail.heading(id)).toBeVisible();
    await expect(detail.state()).toHaveText('provisioning');
    await expect(detail.actions().getByRole('button')).toHaveText([
      'Activate',
      'Decommission',
    ]);
    await expect(detail.record()).toContainText('jetson-orin-nano');
    await expect(detail.record()).toContainText('line-3');

    await detail.action('Activate').click();
    await expect(detail.state()).toHaveText('healthy');
    await expect(detail.actions().getByRole('button')).toHaveText([
      'Enter maintenance',
      'Mark failed',
      'Decommission',
    ]);
    await expect(detail.timeline()).toContainText('operator');
    await expect(
      page.getByText('No deployment has touched this device.'),
    ).toBeVisible();
    await expect(
      page.getByText('No catch-up entries for this device.'),
    ).toBeVisible();
  });

  test('shows a state change made through the API without a reload', async ({
    signedInPage: page,
  }) => {
    const { id } = await registerDevice({
      id: `edge-e2e-live-${uniqueSuffix()}`,
    });
    await activateDevice(id);
    const detail = new DeviceDetailPage(page);
    await detail.open(id);
    await expect(detail.state()).toHaveText('healthy');
    await expect(page.getByRole('status', { name: /Live updates/ })).toHaveText(
      'Live',
    );

    await enterMaintenance(id);
    await expect(detail.state()).toHaveText('maintenance');
    await expect(detail.actions().getByRole('button')).toHaveText([
      'Exit maintenance',
      'Mark failed',
      'Decommission',
    ]);
    await expect(detail.timeline()).toContainText('maintenance');
  });

  test('draws metric charts from heartbeats arriving while the page is open', async ({
    signedInPage: page,
  }) => {
    const device = await registerDevice({
      id: `edge-e2e-hb-${uniqueSuffix()}`,
    });
    await activateDevice(device.id);
    const detail = new DeviceDetailPage(page);
    await detail.open(device.id);
    await expect(page.getByText('No heartbeats received yet.')).toBeVisible();
    await expect(page.getByRole('status', { name: /Live updates/ })).toHaveText(
      'Live',
    );

    await sendHeartbeat(device, { cpuPercent: 35 });
    await sendHeartbeat(device, { cpuPercent: 60 });
    await expect(page.getByRole('img', { name: /cpu/i })).toBeVisible();
    await screenshotView(page, 'device-detail');
  });
});
