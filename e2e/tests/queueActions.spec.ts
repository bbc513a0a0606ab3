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
  type RegisteredDevice,
} from '../fixtures/api.ts';
import { expect, screenshotView, test } from '../fixtures/test.ts';
import {
  CatchUpPage,
  DeploymentsPage,
  EscalationPage,
} from '../pages/QueueViews.ts';

const MINUTE = 60_000;

const pollState = (id: string, state: string) =>
  expect
    .poll(async () => (await deviceStatus(id)).state, { timeout: 20_000 })
    .toBe(state);

// Two devices fall silent four minutes apart and one stays online; the
// silent two miss a deployment. This file moves the server's clock
// forward, so it runs after the views that count healthy devices (files
// run in name order) and keeps its total move well under the hour that
// would take anyone's device to the critical tier.
test.describe('escalation order, plan warning and queue actions', () => {
  const suffix = uniqueSuffix();
  const group = `queue-${suffix}`;
  const olderId = `edge-e2e-q-${suffix}-older`;
  const newerId = `edge-e2e-q-${suffix}-newer`;
  let online: RegisteredDevice;
  let deploymentId: string;

  test.beforeAll(async () => {
    const older = await registerDevice({ id: olderId, tags: [group] });
    await activateDevice(older.id);
    await advanceClock(4 * MINUTE);
    await pollState(olderId, 'OFFLINE');

    const newer = await registerDevice({ id: newerId, tags: [group] });
    online = await registerDevice({
      id: `edge-e2e-q-${suffix}-on`,
      tags: [group],
    });
    for (const device of [newer, online]) await activateDevice(device.id);
    await advanceClock(4 * MINUTE);
    await pollState(newerId, 'OFFLINE');
    // A device is offline from its missed deadline (three minutes after
    // its last sign of life): this takes both past the five-minute warning
    // threshold (about 10 and 6 minutes silent).
    await advanceClock(5 * MINUTE);
    await expect
      .poll(async () => (await deviceStatus(newerId)).offlineTier, {
        timeout: 20_000,
      })
      .toBe('WARNING');
    await sendHeartbeat(online);
    await pollState(online.id, 'HEALTHY');
    await createDynamicGroup(group, `tag:${group}`);
  });

  test('lists a tier oldest first', async ({ signedInPage: page }) => {
    const escalation = new EscalationPage(page);
    await escalation.open();
    const firstCells = escalation
      .tierTable('warning')
      .locator('tbody tr td:first-child');
    await expect(firstCells.filter({ hasText: suffix })).toHaveText([
      olderId,
      newerId,
    ]);
    await screenshotView(page, 'escalation-oldest-first');
  });

  test('warns in the plan preview when more than 20 % of the target is offline', async ({
    signedInPage: page,
  }) => {
    await sendHeartbeat(online);
    const deployments = new DeploymentsPage(page);
    await deployments.open();
    await deployments.manifest().fill(oneWaveManifest(group, '2.6.0'));
    await page.getByRole('button', { name: 'Preview plan' }).click();
    await expect(deployments.preview().getByRole('alert')).toHaveText(
      '2 of 3 target devices are offline (66.7%), above the 20% threshold',
    );
    await expect(deployments.preview()).toContainText('2 offline');
    await screenshotView(page, 'deployments-offline-warning');
  });

  test('removes one entry and retries another until it goes to investigation, then resolves it', async ({
    signedInPage: page,
  }) => {
    await sendHeartbeat(online);
    deploymentId = await startDeployment(oneWaveManifest(group, '2.6.0'));
    await expect
      .poll(
        async () => [
          ...(await catchUpEntries(olderId)),
          ...(await catchUpEntries(newerId)),
        ],
        { timeout: 20_000 },
      )
      .toEqual([
        { targetVersion: '2.6.0', status: 'PENDING' },
        { targetVersion: '2.6.0', status: 'PENDING' },
      ]);

    const catchUp = new CatchUpPage(page);
    await catchUp.open();
    await page.getByLabel('Deployment').fill(deploymentId);
    const table = page.getByRole('table', { name: 'Catch-up entries' });
    await expect(table.locator('tbody tr')).toHaveCount(2);
    const row = (id: string) =>
      table.getByRole('row', { name: new RegExp(id) });

    await row(newerId)
      .getByRole('button', { name: `remove ${newerId} 2.6.0` })
      .click();
    await expect(row(newerId)).toContainText('removed');

    const retry = row(olderId).getByRole('button', {
      name: `retry ${olderId} 2.6.0`,
    });
    await retry.click();
    await expect(row(olderId)).toContainText('1 / 3');
    await expect(row(olderId)).toContainText('device still offline');
    await expect(row(olderId)).toContainText('pending');
    await retry.click();
    await expect(row(olderId)).toContainText('2 / 3');
    await retry.click();
    await expect(row(olderId)).toContainText('3 / 3');
    await expect(row(olderId)).toContainText('investigation');

    const investigation = page
      .getByRole('list', { name: 'Investigations' })
      .getByRole('listitem')
      .filter({ hasText: olderId });
    await expect(investigation).toContainText(
      'max attempts reached (3 of 3); last failure: device still offline',
    );
    await screenshotView(page, 'catch-up-investigation-open');
    await investigation.getByLabel('Resolution').fill('replaced the SD card');
    await investigation.getByRole('button', { name: 'Resolve' }).click();
    await expect(investigation).toHaveCount(0);
  });

  test('filters the queue by status', async ({ signedInPage: page }) => {
    const catchUp = new CatchUpPage(page);
    await catchUp.open();
    await page.getByLabel('Deployment').fill(deploymentId);
    const rows = page
      .getByRole('table', { name: 'Catch-up entries' })
      .locator('tbody tr');
    await expect(rows).toHaveCount(2);

    await page.getByLabel('Status').selectOption('REMOVED');
    await expect(rows).toHaveCount(1);
    await expect(rows).toContainText(newerId);

    await page.getByLabel('Status').selectOption('INVESTIGATION');
    await expect(rows).toHaveCount(1);
    await expect(rows).toContainText(olderId);

    await page.getByLabel('Status').selectOption('PENDING');
    await expect(page.getByText('The catch-up queue is empty.')).toBeVisible();
  });
});
