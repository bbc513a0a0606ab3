import {
  activateDevice,
  enterMaintenance,
  registerDevice,
  sendHeartbeat,
  tagDevice,
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

  test('asks to confirm marking failed and repairing, and records the reason', async ({
    signedInPage: page,
  }) => {
    const { id } = await registerDevice({
      id: `edge-e2e-confirm-${uniqueSuffix()}`,
    });
    await activateDevice(id);
    const detail = new DeviceDetailPage(page);
    await detail.open(id);
    await expect(detail.state()).toHaveText('healthy');

    await detail.action('Mark failed').click();
    const dialog = page.getByRole('dialog', { name: `Mark ${id} as failed?` });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(detail.state()).toHaveText('healthy');

    await detail.action('Mark failed').click();
    await dialog.getByLabel('Reason (optional)').fill('fan seized');
    await screenshotView(page, 'device-confirm-mark-failed');
    await dialog.getByRole('button', { name: 'Mark failed' }).click();
    await expect(detail.state()).toHaveText('failed');
    await expect(detail.timeline()).toContainText('fan seized');

    await detail.action('Repair').click();
    const repair = page.getByRole('dialog', {
      name: `Mark ${id} as repaired?`,
    });
    await repair.getByRole('button', { name: 'Repair' }).click();
    await expect(detail.state()).toHaveText('healthy');
    await expect(repair).toHaveCount(0);
  });

  test('lists metrics with units, proper labels and tags as chips', async ({
    signedInPage: page,
  }) => {
    const device = await registerDevice({
      id: `edge-e2e-labels-${uniqueSuffix()}`,
      tags: ['line-3', 'camera'],
    });
    await activateDevice(device.id);
    await sendHeartbeat(device, { cpuPercent: 42 });
    const detail = new DeviceDetailPage(page);
    await detail.open(device.id);
    const record = detail.record();
    await expect(
      record.getByRole('heading', { name: 'Identity', exact: true }),
    ).toBeVisible();
    await expect(record.getByText('RAM (MB)', { exact: true })).toBeVisible();
    await expect(record.getByText('IP address', { exact: true })).toBeVisible();
    const tags = record.getByRole('list', { name: 'Tags' });
    for (const tag of ['camera', 'line-3'])
      await expect(
        tags.getByRole('listitem').filter({ hasText: new RegExp(`^${tag}$`) }),
      ).toHaveCount(1);
    await expect(record.getByText('CPU (%)', { exact: true })).toBeVisible();
    await expect(record).not.toContainText('{');
  });

  test('shows each metric value on one line beside its label', async ({
    signedInPage: page,
  }) => {
    const device = await registerDevice({
      id: `edge-e2e-metric-lines-${uniqueSuffix()}`,
    });
    await activateDevice(device.id);
    await sendHeartbeat(device, {
      cpuPercent: 42.5,
      metrics: {
        diskFreeMb: 32036,
        uptimeSeconds: 72137,
        temperatureCpuC: 52.1,
        errorCountLastHour: 0,
        inferenceLatencyP95Ms: 12.5,
      },
    });
    const detail = new DeviceDetailPage(page);
    await detail.open(device.id);

    const shown = {
      'CPU (%)': '42.5',
      'Disk free (MB)': '32,036',
      'Uptime (s)': '72,137',
      'Inference latency P95 (ms)': '12.5',
    };
    const metrics = detail.field('Metrics');
    for (const [label, value] of Object.entries(shown)) {
      const cell = metrics
        .getByRole('term')
        .filter({ hasText: label })
        .locator('xpath=following-sibling::dd[1]');
      await expect(cell).toHaveText(value);
      // The text's own height: a wrapped label makes the row taller.
      const lines = await cell.evaluate((dd) => {
        const text = document.createRange();
        text.selectNodeContents(dd);
        return Math.round(
          text.getBoundingClientRect().height /
            parseFloat(getComputedStyle(dd).lineHeight),
        );
      });
      expect({ label, lines }).toEqual({ label, lines: 1 });
    }
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

  test('shows its heartbeat and then the sweeper finding it silent, without a reload', async ({
    signedInPage: page,
  }) => {
    // A 1 s interval scales the 180 s offline timeout down to 3 s, so the
    // sweeper (every 5 s) finds it silent without moving the shared clock.
    const device = await registerDevice({
      id: `edge-e2e-quiet-${uniqueSuffix()}`,
      heartbeatIntervalSeconds: 1,
    });
    const detail = new DeviceDetailPage(page);
    const live = await detail.openLive(device.id);
    await expect(detail.field('Connectivity')).toHaveText('offline');
    await expect(detail.field('Last heartbeat')).toHaveText('—');
    await live.settle();

    await sendHeartbeat(device);
    await expect(detail.field('Connectivity')).toHaveText('online');
    await expect(detail.field('Last heartbeat')).not.toHaveText('—');
    await expect(detail.field('Connectivity')).toHaveText('offline', {
      timeout: 20_000,
    });
    await expect(detail.state()).toHaveText('provisioning');
  });

  test('shows a tag another client adds, without a reload', async ({
    signedInPage: page,
  }) => {
    const { id } = await registerDevice({
      id: `edge-e2e-tagged-${uniqueSuffix()}`,
      tags: ['line-3'],
    });
    const detail = new DeviceDetailPage(page);
    const live = await detail.openLive(id);
    await expect(detail.tags()).toContainText('line-3');
    await live.settle();

    await tagDevice(id, ['rack-9']);
    await expect(
      detail
        .tags()
        .getByRole('listitem')
        .filter({ hasText: /^rack-9$/ }),
    ).toHaveCount(1);
  });
});
