import { gql, registerDevice, uniqueSuffix } from '../fixtures/api.ts';
import { expect, test } from '../fixtures/test.ts';
import { DevicesPage } from '../pages/DevicesPage.ts';

test.describe('bulk untagging', () => {
  test('removes a tag from every matching device and from no other', async ({
    signedInPage: page,
  }) => {
    const suffix = uniqueSuffix();
    const tag = `e2e-untag-${suffix}`;
    const extra = `${tag}-extra`;
    for (const n of [1, 2]) {
      await registerDevice({
        id: `edge-e2e-ut-${suffix}-${n}`,
        tags: [tag, extra],
      });
    }
    // Carries the extra tag but not the query's tag: it keeps it.
    await registerDevice({ id: `edge-e2e-ut-${suffix}-3`, tags: [extra] });

    const devices = new DevicesPage(page);
    await devices.open(`tag:${tag}`);
    await expect(devices.matchCount()).toHaveText('2 matching');
    await devices.bulkTagInput().fill(extra);
    await devices.bulkButton('Remove tags').click();
    await devices.confirmBulk('Remove tags');
    await expect(devices.bulkResult()).toHaveText(
      'Tags changed on 2 of 2 devices.',
    );

    const data = await gql<{
      devices: { edges: { node: { id: string } }[] };
    }>(
      `query ($where: String) { devices(where: $where) { edges { node { id } } } }`,
      {
        where: `tag:${extra}`,
      },
    );
    expect(data.devices.edges.map((edge) => edge.node.id)).toEqual([
      `edge-e2e-ut-${suffix}-3`,
    ]);
  });
});
