import { gql, registerDevice, uniqueSuffix } from '../fixtures/api.ts';
import { expect, test } from '../fixtures/test.ts';
import { DevicesPage } from '../pages/DevicesPage.ts';

/** The ids of the devices carrying `tag`, in id order. */
async function taggedIds(tag: string): Promise<string[]> {
  const data = await gql<{
    devices: { edges: { node: { id: string } }[] };
  }>(
    `query ($where: String) { devices(where: $where) { edges { node { id } } } }`,
    {
      where: `tag:${tag}`,
    },
  );
  return data.devices.edges.map((edge) => edge.node.id).sort();
}

// Bulk tagging writes to what the box holds, never to the table's last
// applied query while the typed text is still being checked.
test.describe('bulk tagging a typed query', () => {
  const suffix = uniqueSuffix();
  const site = `e2e-bt-site-${suffix}`;
  const ids = [1, 2, 3].map((n) => `edge-e2e-bt-${suffix}-${n}`);

  test.beforeAll(async () => {
    for (const id of ids) await registerDevice({ id, tags: [site] });
  });

  test('waits for a narrowed query to be checked, then tags only its match', async ({
    signedInPage: page,
  }) => {
    const added = `${site}-one`;
    const narrowed = `tag:${site} AND id = "${ids[0]}"`;
    const devices = new DevicesPage(page);
    await devices.open(`tag:${site}`);
    await expect(devices.matchCount()).toHaveText('3 matching');
    await devices.bulkTagInput().fill(added);
    await expect(devices.bulkButton('Add tags')).toBeEnabled();

    // The narrowed query's validation is held until the disabled state
    // has been seen, as on a slow network.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/graphql', async (route) => {
      const body = route.request().postData() ?? '';
      if (body.includes('ValidateQuery') && body.includes(ids[0] ?? '')) {
        await held;
      }
      await route.continue();
    });
    await devices.queryBox().fill(narrowed);
    await expect(devices.bulkButton('Add tags')).toBeDisabled();
    await expect(devices.bulkReason()).toHaveText(
      'Waiting for the query to be checked…',
    );
    release();
    await expect(devices.matchCount()).toHaveText('1 matching');
    await expect(devices.bulkReason()).toHaveCount(0);

    await devices.bulkButton('Add tags').click();
    await expect(devices.bulkConfirmation()).toContainText(
      `Adds them to 1 device matching ${narrowed}.`,
    );
    await devices.confirmBulk('Add tags');
    await expect(devices.bulkResult()).toHaveText(
      'Tags changed on 1 of 1 device.',
    );
    expect(await taggedIds(added)).toEqual([ids[0]]);
  });

  test('refuses to tag while the typed query is invalid', async ({
    signedInPage: page,
  }) => {
    const devices = new DevicesPage(page);
    await devices.open(`tag:${site}`);
    await expect(devices.matchCount()).toHaveText('3 matching');
    await devices.bulkTagInput().fill(`${site}-never`);

    await devices.typeQuery(`tag:${site} AND`);
    await expect(devices.errorMark()).toBeVisible();
    await expect(devices.bulkButton('Add tags')).toBeDisabled();
    await expect(devices.bulkButton('Remove tags')).toBeDisabled();
    await expect(devices.bulkReason()).toHaveText('Fix the query first.');
    expect(await taggedIds(`${site}-never`)).toEqual([]);
  });

  test('refuses a tag the API would refuse beside the field, before asking to confirm', async ({
    signedInPage: page,
  }) => {
    const devices = new DevicesPage(page);
    const tagWrites: string[] = [];
    page.on('request', (request) => {
      const body = request.postData() ?? '';
      if (/mutation (TagDevices|UntagDevices)\b/.test(body)) {
        tagWrites.push(body);
      }
    });
    await devices.open(`tag:${site}`);
    await expect(devices.matchCount()).toHaveText('3 matching');
    await devices
      .bulkTagInput()
      .fill(`${site}-ok, region=factory-a, region=factory-b`);

    await devices.bulkButton('Add tags').click();
    await expect(devices.bulkTagInput()).toHaveAccessibleDescription(
      '"tags" gives "region" two values ("factory-a" and "factory-b"); ' +
        'a key holds one value',
    );
    await expect(devices.bulkTagInput()).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    await expect(devices.bulkConfirmation()).toHaveCount(0);

    await devices.bulkTagInput().fill(`${site}-ok, lifecycle=decommissioned`);
    await expect(devices.bulkTagInput()).toHaveAttribute(
      'aria-invalid',
      'false',
    );
    await devices.bulkButton('Add tags').click();
    await expect(devices.bulkTagInput()).toHaveAccessibleDescription(
      'The value "decommissioned" names a status the registry sets; ' +
        'tag:decommissioned would select this device',
    );
    await expect(devices.bulkConfirmation()).toHaveCount(0);
    expect({
      writes: tagWrites,
      tagged: await taggedIds(`${site}-ok`),
    }).toEqual({ writes: [], tagged: [] });
  });

  test('writes nothing when the confirmation is cancelled', async ({
    signedInPage: page,
  }) => {
    const devices = new DevicesPage(page);
    await devices.open(`tag:${site}`);
    await expect(devices.matchCount()).toHaveText('3 matching');
    await devices.bulkTagInput().fill(`${site}-cancelled`);
    await devices.bulkButton('Add tags').click();
    await expect(devices.bulkConfirmation()).toContainText(
      `Adds them to 3 devices matching tag:${site}.`,
    );

    await devices
      .bulkConfirmation()
      .getByRole('button', { name: 'Cancel' })
      .click();
    await expect(devices.bulkConfirmation()).toHaveCount(0);
    expect(await taggedIds(`${site}-cancelled`)).toEqual([]);
  });

  test('writes nothing when the match changed after the confirmation, then tags the new count once confirmed again', async ({
    signedInPage: page,
  }) => {
    const line = `${site}-line`;
    const lineIds = [1, 2, 3].map((n) => `edge-e2e-bt-${suffix}-line-${n}`);
    for (const id of lineIds.slice(0, 2)) {
      await registerDevice({ id, tags: [line] });
    }
    const added = `${line}-canary`;
    const devices = new DevicesPage(page);
    await devices.open(`tag:${line}`);
    await expect(devices.matchCount()).toHaveText('2 matching');
    await devices.bulkTagInput().fill(added);
    await devices.bulkButton('Add tags').click();
    await expect(devices.bulkConfirmation()).toContainText(
      `Adds them to 2 devices matching tag:${line}.`,
    );

    // Another operator adds a matching device while this one reads.
    await registerDevice({ id: lineIds[2] ?? '', tags: [line] });
    await devices.confirmBulk('Add tags');

    await expect(devices.bulkConfirmation().getByRole('alert')).toHaveText(
      'Nothing was changed: the query now matches 3 devices, not the 2 you ' +
        'confirmed. Press Add tags again to add them to the 3 devices ' +
        'matching now, or cancel.',
    );
    await expect(devices.bulkConfirmation()).toContainText(
      `Adds them to 3 devices matching tag:${line}.`,
    );
    await expect(devices.matchCount()).toHaveText('3 matching');
    expect(await taggedIds(added)).toEqual([]);

    await devices.confirmBulk('Add tags');
    await expect(devices.bulkResult()).toHaveText(
      'Tags changed on 3 of 3 devices.',
    );
    expect(await taggedIds(added)).toEqual(lineIds);
  });
});
