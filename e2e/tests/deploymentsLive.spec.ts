import {
  sendHeartbeat,
  startOneDeviceDeployment,
  uniqueSuffix,
} from '../fixtures/api.ts';
import { expect, test } from '../fixtures/test.ts';
import { DeploymentsPage } from '../pages/QueueViews.ts';

test.describe('deployments view', () => {
  test('shows a deployment completed by a heartbeat without a reload', async ({
    signedInPage: page,
  }) => {
    const suffix = uniqueSuffix();
    const { device, deploymentId: id } = await startOneDeviceDeployment(
      `live-deploy-${suffix}`,
      `edge-e2e-ld-${suffix}`,
      '4.1.0',
    );

    const deployments = new DeploymentsPage(page);
    const live = await deployments.openLive();
    const card = deployments.card(id);
    await expect(card.getByRole('heading')).toContainText('running');
    await expect(card.getByRole('button')).toHaveText(['Pause', 'Abort']);
    await live.settle();

    // The device's state does not change: only the deployment does.
    await sendHeartbeat(device, { appVersion: '4.1.0' });
    await expect(card.getByRole('heading')).toContainText('completed');
    await expect(card.getByRole('button')).toHaveCount(0);
    await expect(card.getByText(/1 ok, 0 failed/)).toHaveText(
      '1 ok, 0 failed, 0 skipped of 1 — completed',
    );
  });
});
