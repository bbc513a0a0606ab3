import {
  createStaticGroup,
  registerDevice,
  uniqueSuffix,
} from '../fixtures/api.ts';
import { expect, screenshotView, test } from '../fixtures/test.ts';
import { GroupsPage } from '../pages/GroupsPage.ts';

test.describe('creating static groups', () => {
  test('creates a static group with its first members and lists it with them', async ({
    signedInPage: page,
  }) => {
    const suffix = uniqueSuffix();
    const name = `line-3-${suffix}`;
    const first = `edge-e2e-sc-${suffix}-1`;
    const second = `edge-e2e-sc-${suffix}-2`;
    await registerDevice({ id: first });
    await registerDevice({ id: second });
    const groups = new GroupsPage(page);
    await groups.open();

    await groups.createStaticGroup({
      name,
      description: 'Line 3 cameras',
      members: `${second},\n${first} ${second}`,
    });

    await expect(groups.staticGroupForm()).toHaveCount(0);
    const row = groups.row(name);
    await expect(row.getByRole('cell')).toHaveText([
      `${name}Line 3 cameras`,
      'static',
      '—',
      '2',
      `Edit ${name}Delete ${name}`,
    ]);
    await screenshotView(page, 'groups-static-created');
    await page.getByRole('button', { name: `Edit ${name}` }).click();
    await expect(groups.members().getByRole('listitem')).toHaveText([
      `${first} Remove`,
      `${second} Remove`,
    ]);
  });

  test('shows a taken name and unknown device ids beside their fields', async ({
    signedInPage: page,
  }) => {
    const suffix = uniqueSuffix();
    const taken = `taken-${suffix}`;
    const name = `fresh-${suffix}`;
    const known = `edge-e2e-sk-${suffix}-1`;
    const unknown = [`edge-e2e-nope-${suffix}-1`, `edge-e2e-nope-${suffix}-2`];
    await registerDevice({ id: known });
    await createStaticGroup(taken, [known]);
    const groups = new GroupsPage(page);
    const form = groups.staticGroupForm();
    await groups.open();

    await groups.createStaticGroup({ name: taken, members: known });
    await expect(form.getByRole('alert')).toHaveText(
      `Group "${taken}" already exists`,
    );
    await expect(form.getByLabel('Name')).toHaveAccessibleDescription(
      `Group "${taken}" already exists`,
    );

    await form.getByLabel('Name').fill(name);
    await expect(form.getByRole('alert')).toHaveCount(0);
    await form
      .getByLabel('Member device ids')
      .fill([known, ...unknown].join(' '));
    await form.getByRole('button', { name: 'Create group' }).click();
    const message = `Devices "${unknown[0]}", "${unknown[1]}" do not exist`;
    await expect(form.getByRole('alert')).toHaveText(message);
    await expect(
      form.getByLabel('Member device ids'),
    ).toHaveAccessibleDescription(message);
    await screenshotView(page, 'groups-static-unknown-devices');

    await form.getByRole('button', { name: 'Cancel' }).click();
    await expect(groups.row(taken)).toBeVisible();
    await expect(groups.row(name)).toHaveCount(0);
  });

  test('shows a taken name beside the name in the dynamic group form too', async ({
    signedInPage: page,
  }) => {
    const suffix = uniqueSuffix();
    const taken = `taken-dyn-${suffix}`;
    const known = `edge-e2e-sd-${suffix}-1`;
    await registerDevice({ id: known });
    await createStaticGroup(taken, [known]);
    const groups = new GroupsPage(page);
    await groups.open();
    await page.getByRole('button', { name: 'New dynamic group' }).click();
    const form = page.getByRole('form', { name: 'New dynamic group' });

    await form.getByLabel('Name').fill(taken);
    await groups.typeGroupQuery(`id = ${known}`);
    await form.getByRole('button', { name: 'Save group' }).click();

    const message = `Group "${taken}" already exists`;
    await expect(form.getByRole('alert')).toHaveText(message);
    await expect(form.getByLabel('Name')).toHaveAccessibleDescription(message);
    await form.getByLabel('Name').fill(`fresh-dyn-${suffix}`);
    await expect(form.getByRole('alert')).toHaveCount(0);
  });
});
