import {
  activateDevice,
  createDynamicGroup,
  gql,
  registerDevice,
  uniqueSuffix,
} from '../fixtures/api.ts';
import { expect, screenshotView, test } from '../fixtures/test.ts';
import { DeploymentsPage } from '../pages/QueueViews.ts';

test.describe('deployment approvals', () => {
  test('approves a wave that waits for approval', async ({
    signedInPage: page,
  }) => {
    const suffix = uniqueSuffix();
    const group = `approve-${suffix}`;
    const { id } = await registerDevice({
      id: `edge-e2e-ap-${suffix}`,
      tags: [group],
    });
    await activateDevice(id);
    await createDynamicGroup(group, `tag:${group}`);
    const manifestYaml = [
      'deployment:',
      '  artifact: inspection-model',
      '  target_version: 3.0.0',
      '  target:',
      `    groups: [${group}]`,
      '  waves:',
      '    - name: gated',
      `      groups: [${group}]`,
      '      percentage: 100',
      '      require_approval: true',
      '',
    ].join('\n');
    const created = await gql<{ createDeployment: { id: string } }>(
      `mutation ($yaml: String!) { createDeployment(manifestYaml: $yaml) { id } }`,
      { yaml: manifestYaml },
    );
    const deploymentId = created.createDeployment.id;
    await gql(`mutation ($id: ID!) { startDeployment(id: $id) { id } }`, {
      id: deploymentId,
    });

    const deployments = new DeploymentsPage(page);
    await deployments.open();
    const card = page.getByRole('listitem', {
      name: `Deployment ${deploymentId}`,
    });
    await expect(card).toContainText('awaiting_approval');
    await screenshotView(page, 'deployments-approval');
    await card.getByRole('button', { name: 'Approve gated' }).click();
    await expect(
      card.getByRole('button', { name: 'Approve gated' }),
    ).toHaveCount(0);
    await expect(card).not.toContainText('awaiting_approval');
  });
});
