import {
  activateDevice,
  createDynamicGroup,
  gql,
  oneWaveManifest,
  registerDevice,
  sendHeartbeat,
  startOneDeviceDeployment,
  uniqueSuffix,
} from '../fixtures/api.ts';
import { expect, screenshotView, test } from '../fixtures/test.ts';
import { DeploymentsPage } from '../pages/QueueViews.ts';
import { SignInPage } from '../pages/SignInPage.ts';

// A running deployment (its one device is assigned and has not reported
// the new version yet), controlled from the deployments view.
test.describe('deployment controls', () => {
  const suffix = uniqueSuffix();
  const group = `control-${suffix}`;
  let deploymentId: string;

  test.beforeAll(async () => {
    const started = await startOneDeviceDeployment(
      group,
      `edge-e2e-ctl-${suffix}`,
      '4.0.0',
    );
    deploymentId = started.deploymentId;
  });

  const stateOf = async () => {
    const data = await gql<{ deployment: { state: string } }>(
      `query ($id: ID!) { deployment(id: $id) { state } }`,
      { id: deploymentId },
    );
    return data.deployment.state;
  };

  test('shows a viewer no control of a deployment', async ({ page }) => {
    const created = await gql<{ createApiKey: { key: string } }>(
      `mutation { createApiKey(name: "viewer-ctl-${suffix}", role: VIEWER) { key } }`,
    );
    const signIn = new SignInPage(page);
    await signIn.open();
    await signIn.signIn(created.createApiKey.key);
    await new DeploymentsPage(page).open();
    const card = page.getByRole('listitem', {
      name: `Deployment ${deploymentId}`,
    });
    await expect(card.getByRole('heading')).toContainText('running');
    await expect(card.getByRole('button')).toHaveCount(0);
  });

  test('pauses, resumes and aborts a deployment, offering only what its state allows', async ({
    signedInPage: page,
  }) => {
    await new DeploymentsPage(page).open();
    const card = page.getByRole('listitem', {
      name: `Deployment ${deploymentId}`,
    });
    const controls = card.getByRole('group', {
      name: `Control ${deploymentId}`,
    });
    const button = (name: string) => card.getByRole('button', { name });
    await expect(card.getByRole('heading')).toContainText('running');
    await expect(controls.getByRole('button')).toHaveText(['Pause', 'Abort']);
    await screenshotView(page, 'deployments-controls');

    await button('Pause').click();
    await expect(card.getByRole('heading')).toContainText('paused');
    await expect(controls.getByRole('button')).toHaveText(['Resume', 'Abort']);
    expect(await stateOf()).toBe('PAUSED');

    await button('Resume').click();
    await expect(card.getByRole('heading')).toContainText('running');
    await expect(controls.getByRole('button')).toHaveText(['Pause', 'Abort']);
    expect(await stateOf()).toBe('RUNNING');

    await button('Abort').click();
    const confirm = card.getByRole('form', { name: `Abort ${deploymentId}` });
    await confirm.getByLabel('Reason (optional)').fill('e2e: wrong build');
    await confirm.getByRole('button', { name: 'Confirm abort' }).click();
    await expect(card.getByRole('heading')).toContainText('aborted');
    await expect(controls).toHaveCount(0);
    expect(await stateOf()).toBe('ABORTED');

    const log = await gql<{
      deploymentLog: { edges: { node: { action: string; message: string } }[] };
    }>(
      `query ($id: ID!) {
        deploymentLog(deploymentId: $id) { edges { node { action message } } }
      }`,
      { id: deploymentId },
    );
    expect(
      log.deploymentLog.edges
        .map((edge) => edge.node)
        .filter((entry) => entry.action === 'aborted')
        .map((entry) => entry.message.endsWith(': e2e: wrong build')),
    ).toEqual([true]);
  });
});

test.describe('starting a planned deployment', () => {
  const suffix = uniqueSuffix();
  const group = `start-${suffix}`;

  test('starts a planned deployment from its card, which then runs', async ({
    signedInPage: page,
  }) => {
    const device = await registerDevice({
      id: `edge-e2e-start-${suffix}`,
      tags: [group],
    });
    await activateDevice(device.id);
    await sendHeartbeat(device);
    await createDynamicGroup(group, `tag:${group}`);
    const created = await gql<{ createDeployment: { id: string } }>(
      `mutation ($yaml: String!) { createDeployment(manifestYaml: $yaml) { id } }`,
      { yaml: oneWaveManifest(group, '5.0.0') },
    );
    const id = created.createDeployment.id;

    await new DeploymentsPage(page).open();
    const card = page.getByRole('listitem', { name: `Deployment ${id}` });
    const controls = card.getByRole('group', { name: `Control ${id}` });
    await expect(card.getByRole('heading')).toContainText('planned');
    await expect(controls.getByRole('button')).toHaveText(['Start', 'Abort']);

    await controls.getByRole('button', { name: 'Start' }).click();
    await expect(card.getByRole('heading')).toContainText('running');
    await expect(controls.getByRole('button')).toHaveText(['Pause', 'Abort']);
    const state = await gql<{ deployment: { state: string } }>(
      `query ($id: ID!) { deployment(id: $id) { state } }`,
      { id },
    );
    expect(state.deployment.state).toBe('RUNNING');
  });
});
