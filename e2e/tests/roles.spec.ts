import {
  activateDevice,
  gql,
  registerDevice,
  uniqueSuffix,
} from '../fixtures/api.ts';
import { expect, test } from '../fixtures/test.ts';
import { DeviceDetailPage } from '../pages/DeviceDetailPage.ts';
import { DevicesPage } from '../pages/DevicesPage.ts';
import { GroupsPage } from '../pages/GroupsPage.ts';
import { SignInPage } from '../pages/SignInPage.ts';

test.describe('roles', () => {
  test('a viewer sees the fleet but no control that writes', async ({
    page,
  }) => {
    const suffix = uniqueSuffix();
    const { id } = await registerDevice({ id: `edge-e2e-viewer-${suffix}` });
    await activateDevice(id);
    const created = await gql<{ createApiKey: { key: string } }>(
      `mutation { createApiKey(name: "viewer-${suffix}", role: VIEWER) { key } }`,
    );

    const signIn = new SignInPage(page);
    await signIn.open();
    await signIn.signIn(created.createApiKey.key);
    await expect(page.getByText(`viewer-${suffix} (viewer)`)).toBeVisible();

    const detail = new DeviceDetailPage(page);
    await detail.open(id);
    await expect(detail.state()).toHaveText('healthy');
    await expect(detail.actions()).toHaveCount(0);

    const devices = new DevicesPage(page);
    await devices.open(`id = "${id}"`);
    await expect(devices.rows()).toHaveCount(1);
    await expect(page.getByRole('form', { name: 'Bulk tagging' })).toHaveCount(
      0,
    );

    const groups = new GroupsPage(page);
    await groups.open();
    await expect(
      page.getByRole('heading', { name: 'Groups', level: 1 }),
    ).toBeVisible();
    await expect(
      page.getByRole('button', { name: /^New (dynamic|static) group$/ }),
    ).toHaveCount(0);
  });
});
