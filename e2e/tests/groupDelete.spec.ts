import {
  createDynamicGroup,
  createStaticGroup,
  registerDevice,
  uniqueSuffix,
} from '../fixtures/api.ts';
import { expect, screenshotView, test } from '../fixtures/test.ts';
import { GroupsPage } from '../pages/GroupsPage.ts';

test.describe('deleting groups', () => {
  test('refuses a group another group uses, with the reason, then deletes both', async ({
    signedInPage: page,
  }) => {
    const suffix = uniqueSuffix();
    const base = `base-${suffix}`;
    const user = `user-${suffix}`;
    const { id } = await registerDevice({ id: `edge-e2e-del-${suffix}` });
    await createStaticGroup(base, [id]);
    await createDynamicGroup(user, `group:${base}`);
    const groups = new GroupsPage(page);
    // By the name's link: the user's row names the base in its query too.
    const row = (name: string) =>
      groups
        .table()
        .getByRole('row')
        .filter({ has: page.getByRole('link', { name, exact: true }) });
    await groups.open();
    await expect(row(base)).toBeVisible();

    await page.getByRole('button', { name: `Delete ${base}` }).click();
    const dialog = page.getByRole('dialog', { name: `Delete group ${base}?` });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(row(base)).toBeVisible();

    await page.getByRole('button', { name: `Delete ${base}` }).click();
    await dialog.getByRole('button', { name: 'Delete group' }).click();
    await expect(dialog.getByRole('alert')).toHaveText(
      `Group "${base}" is used by ${user}`,
    );
    await screenshotView(page, 'groups-delete-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(row(base)).toBeVisible();

    await page.getByRole('button', { name: `Delete ${user}` }).click();
    await page
      .getByRole('dialog', { name: `Delete group ${user}?` })
      .getByRole('button', { name: 'Delete group' })
      .click();
    await expect(row(user)).toHaveCount(0);
    await page.getByRole('button', { name: `Delete ${base}` }).click();
    await dialog.getByRole('button', { name: 'Delete group' }).click();
    await expect(row(base)).toHaveCount(0);
  });

  test('stacks the table into cards in a narrow window, actions in reach', async ({
    signedInPage: page,
  }) => {
    await page.setViewportSize({ width: 500, height: 900 });
    const name = `narrow-${uniqueSuffix()}`;
    await createDynamicGroup(name, 'status:healthy');
    const groups = new GroupsPage(page);
    await groups.open();
    const del = page.getByRole('button', { name: `Delete ${name}` });
    await del.scrollIntoViewIfNeeded();
    const box = await del.boundingBox();
    expect(box !== null && box.x + box.width <= 500).toBe(true);
    expect(
      await page.evaluate(
        () =>
          document.documentElement.scrollWidth -
          document.documentElement.clientWidth,
      ),
    ).toBe(0);
    await screenshotView(page, 'groups-narrow');
  });
});
