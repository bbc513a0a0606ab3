import {
  activateDevice,
  createDynamicGroup,
  createStaticGroup,
  registerDevice,
  uniqueSuffix,
} from '../fixtures/api.ts';
import { expect, screenshotView, test } from '../fixtures/test.ts';
import { GroupsPage } from '../pages/GroupsPage.ts';
import {
  CatchUpPage,
  DeploymentsPage,
  EscalationPage,
} from '../pages/QueueViews.ts';

test.describe('groups', () => {
  test('previews a dynamic group before saving, then lists it with its count', async ({
    signedInPage: page,
  }) => {
    const suffix = uniqueSuffix();
    const tag = `e2e-group-${suffix}`;
    await registerDevice({ id: `edge-e2e-g-${suffix}-1`, tags: [tag] });
    await registerDevice({ id: `edge-e2e-g-${suffix}-2`, tags: [tag] });
    const groups = new GroupsPage(page);
    await groups.open();
    await page.getByRole('button', { name: 'New dynamic group' }).click();
    await page.getByLabel('Name').fill(`group-${suffix}`);
    await groups.groupQuery().fill(`tag:${tag}`);
    await expect(groups.previewCount()).toHaveText(
      '2 devices would be members',
    );
    await expect(
      groups.preview().getByRole('list', { name: 'Sample' }),
    ).toContainText(`edge-e2e-g-${suffix}-1`);
    await screenshotView(page, 'groups-preview');
    await page.getByRole('button', { name: 'Save group' }).click();
    await expect(groups.row(`group-${suffix}`)).toContainText('dynamic');
    await expect(
      groups.row(`group-${suffix}`).getByRole('cell').nth(3),
    ).toHaveText('2');
    await screenshotView(page, 'groups');
  });

  test('shows who joins and leaves when a saved dynamic group changes', async ({
    signedInPage: page,
  }) => {
    const suffix = uniqueSuffix();
    await registerDevice({
      id: `edge-e2e-j-${suffix}-a`,
      tags: [`e2e-a-${suffix}`],
    });
    await registerDevice({
      id: `edge-e2e-j-${suffix}-b`,
      tags: [`e2e-b-${suffix}`],
    });
    await createDynamicGroup(`moving-${suffix}`, `tag:e2e-a-${suffix}`);
    const groups = new GroupsPage(page);
    await groups.open();
    await page.getByRole('button', { name: `Edit moving-${suffix}` }).click();
    await groups.groupQuery().fill(`tag:e2e-b-${suffix}`);
    await expect(
      groups.preview().getByRole('list', { name: 'Joining' }),
    ).toHaveText(`edge-e2e-j-${suffix}-b`);
    await expect(
      groups.preview().getByRole('list', { name: 'Leaving' }),
    ).toHaveText(`edge-e2e-j-${suffix}-a`);
  });

  test('adds and removes static members', async ({ signedInPage: page }) => {
    const suffix = uniqueSuffix();
    const first = `edge-e2e-s-${suffix}-1`;
    const second = `edge-e2e-s-${suffix}-2`;
    await registerDevice({ id: first });
    await registerDevice({ id: second });
    await createStaticGroup(`static-${suffix}`, [first]);
    const groups = new GroupsPage(page);
    await groups.open();
    await page.getByRole('button', { name: `Edit static-${suffix}` }).click();
    const members = page.getByRole('list', { name: 'Members' });
    await expect(members).toContainText(first);
    await page.getByLabel('Device ids to add').fill(second);
    await page.getByRole('button', { name: 'Add members' }).click();
    await expect(members).toContainText(second);
    await page.getByRole('button', { name: `Remove ${first}` }).click();
    await expect(members.getByRole('listitem')).toHaveCount(1);
  });

  test('shows unknown device ids beside the ids to add, as the group forms do', async ({
    signedInPage: page,
  }) => {
    const suffix = uniqueSuffix();
    const member = `edge-e2e-sm-${suffix}-1`;
    const unknown = `edge-e2e-sm-nope-${suffix}`;
    await registerDevice({ id: member });
    await createStaticGroup(`static-ids-${suffix}`, [member]);
    const groups = new GroupsPage(page);
    await groups.open();
    await page
      .getByRole('button', { name: `Edit static-ids-${suffix}` })
      .click();
    const editor = page.getByRole('region', {
      name: `Members of static-ids-${suffix}`,
    });
    const idsToAdd = editor.getByLabel('Device ids to add');

    await idsToAdd.fill(unknown);
    await editor.getByRole('button', { name: 'Add members' }).click();
    const message = `Device "${unknown}" does not exist`;
    await expect(editor.getByRole('alert')).toHaveText(message);
    await expect(idsToAdd).toHaveAccessibleDescription(message);
    await expect(idsToAdd).toHaveAttribute('aria-invalid', 'true');
    await expect(editor.locator('.error-box')).toHaveCount(0);

    await idsToAdd.fill(member);
    await expect(editor.getByRole('alert')).toHaveCount(0);
  });
});

test.describe('offline escalation', () => {
  test('lists every tier with its devices or an empty state', async ({
    signedInPage: page,
  }) => {
    const escalation = new EscalationPage(page);
    await escalation.open();
    await expect(page.getByRole('heading', { name: /warning/ })).toBeVisible();
    await expect(
      page.getByRole('heading', { name: /decommission review/ }),
    ).toBeVisible();
    await expect(page.getByText('No devices in critical.')).toBeVisible();
    await screenshotView(page, 'escalation-tiers');
  });
});

test.describe('catch-up queue', () => {
  test('shows the queue and the investigation queue', async ({
    signedInPage: page,
  }) => {
    const catchUp = new CatchUpPage(page);
    await catchUp.open();
    await expect(catchUp.heading()).toBeVisible();
    await expect(catchUp.investigationHeading()).toBeVisible();
    await screenshotView(page, 'catch-up-investigation');
  });
});

test.describe('deployments', () => {
  test('previews a plan with its waves', async ({ signedInPage: page }) => {
    const suffix = uniqueSuffix();
    const group = `deploy-${suffix}`;
    for (const n of [1, 2, 3]) {
      const { id } = await registerDevice({
        id: `edge-e2e-d-${suffix}-${n}`,
        tags: [`e2e-deploy-${suffix}`],
      });
      await activateDevice(id);
    }
    await createDynamicGroup(group, `tag:e2e-deploy-${suffix}`);
    const deployments = new DeploymentsPage(page);
    await deployments.open();
    await deployments
      .manifest()
      .fill(
        [
          'deployment:',
          '  artifact: inspection-model',
          '  target_version: 2.4.0',
          '  target:',
          `    groups: [${group}]`,
          '  waves:',
          '    - name: wave-1',
          `      groups: [${group}]`,
          '      percentage: 100',
          '',
        ].join('\n'),
      );
    await page.getByRole('button', { name: 'Preview plan' }).click();
    await expect(deployments.preview()).toContainText(
      '3 eligible of 3 targeted',
    );
    await expect(deployments.preview()).toContainText('wave-1: 3 devices');
    await screenshotView(page, 'deployments-plan');
  });
});
