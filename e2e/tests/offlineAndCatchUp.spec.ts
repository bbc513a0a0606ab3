import {
  activateDevice,
  advanceClock,
  catchUpEntries,
  createDynamicGroup,
  deviceStatus,
  oneWaveManifest,
  registerDevice,
  sendHeartbeat,
  startDeployment,
  uniqueSuffix,
} from '../fixtures/api.ts';
import { expect, screenshotView, test } from '../fixtures/test.ts';
import {
  CatchUpPage,
  DeploymentsPage,
  EscalationPage,
} from '../pages/QueueViews.ts';

const MINUTE = 60_000;

// One story on the shared server: a device falls silent, climbs to the
// warning tier, misses a deployment and waits in the catch-up queue. The
// server's clock is moved forward, so this file runs after the views that
// count healthy devices.
test.describe('offline escalation and catch-up', () => {
  const suffix = uniqueSuffix();
  const group = `offline-${suffix}`;
  const silentId = `edge-e2e-silent-${suffix}`;
  const activeId = `edge-e2e-active-${suffix}`;
  let deploymentId: string;

  test.beforeAll(async () => {
    const silent = await registerDevice({ id: silentId, tags: [group] });
    const active = await registerDevice({ id: activeId, tags: [group] });
    for (const device of [silent, active]) {
      await activateDevice(device.id);
      await sendHeartbeat(device);
    }
    await createDynamicGroup(group, `tag:${group}`);

    await advanceClock(4 * MINUTE);
    await expect
      .poll(async () => (await deviceStatus(silentId)).state, {
        timeout: 20_000,
      })
      .toBe('OFFLINE');
    await advanceClock(6 * MINUTE);
    await expect
      .poll(async () => (await deviceStatus(silentId)).offlineTier, {
        timeout: 20_000,
      })
      .toBe('WARNING');
    await sendHeartbeat(active);

    deploymentId = await startDeployment(oneWaveManifest(group, '2.5.0'));
    await expect
      .poll(() => catchUpEntries(silentId), { timeout: 20_000 })
      .toEqual([{ targetVersion: '2.5.0', status: 'PENDING' }]);
  });

  test('lists the silent device in its tier with time offline and last known state', async ({
    signedInPage: page,
  }) => {
    const escalation = new EscalationPage(page);
    await escalation.open();
    const row = escalation
      .tierTable('warning')
      .getByRole('row', { name: new RegExp(silentId) });
    await expect(row).toBeVisible();
    await expect(row.getByRole('cell').nth(1)).toHaveText(/^(5|6|7) min/);
    await expect(row.getByRole('cell').nth(2)).toHaveText('healthy');
    await screenshotView(page, 'escalation');
  });

  test('shows the queue as cards with reachable actions in a narrow window', async ({
    signedInPage: page,
  }) => {
    await page.setViewportSize({ width: 500, height: 900 });
    const catchUp = new CatchUpPage(page);
    await catchUp.open();
    await page.getByLabel('Device').fill(silentId);
    const row = page
      .getByRole('table', { name: 'Catch-up entries' })
      .getByRole('row', { name: new RegExp(silentId) });
    await expect(row).toContainText('pending');
    const skip = row.getByRole('button', { name: `skip ${silentId} 2.5.0` });
    await expect(skip).toBeInViewport();
    const box = await skip.boundingBox();
    expect(box !== null && box.x + box.width <= 500).toBe(true);
    expect(
      await page.evaluate(
        () =>
          document.documentElement.scrollWidth -
          document.documentElement.clientWidth,
      ),
    ).toBe(0);
    await screenshotView(page, 'catch-up-narrow');
  });

  test('shows the missed deployment in the catch-up queue and skips it', async ({
    signedInPage: page,
  }) => {
    const catchUp = new CatchUpPage(page);
    await catchUp.open();
    await page.getByLabel('Device').fill(silentId);
    const table = page.getByRole('table', { name: 'Catch-up entries' });
    const row = table.getByRole('row', { name: new RegExp(silentId) });
    await expect(row).toContainText('2.5.0');
    await expect(row).toContainText(deploymentId);
    await expect(row).toContainText('0 / 3');
    await expect(row).toContainText('pending');
    await expect(page.getByText('1 entry', { exact: true })).toBeVisible();
    await expect(row.getByRole('button')).toHaveText([
      'Retry now',
      'Skip',
      'Remove',
    ]);
    await screenshotView(page, 'catch-up');

    await row.getByRole('button', { name: `skip ${silentId} 2.5.0` }).click();
    await expect(row).toContainText('skipped');
    // A closed entry takes no action: the API would answer CONFLICT.
    await expect(row.getByRole('button')).toHaveCount(0);
  });

  test('shows the deployment with its wave progress', async ({
    signedInPage: page,
  }) => {
    const deployments = new DeploymentsPage(page);
    await deployments.open();
    const card = page.getByRole('listitem', {
      name: `Deployment ${deploymentId}`,
    });
    await expect(card).toContainText('2.5.0');
    await expect(
      card.getByRole('progressbar', { name: 'wave-1 progress' }),
    ).toBeVisible();
    await expect(card).toContainText('1 skipped');
    await screenshotView(page, 'deployments-progress');
  });
});
