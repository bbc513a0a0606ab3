import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import {
  createDeployment,
  insertFleet,
  ok,
  staticGroup,
} from './support/deploymentFixtures.ts';

describe('deleteGroup and deployments', () => {
  let server: TestServer;

  const deleteGroup = async (name: string) => {
    const result = await server.request(
      'mutation ($name: String!) { deleteGroup(name: $name) { name } }',
      { name },
    );
    return result.errors
      ? { message: result.errors[0]!.message, ...result.errors[0]!.extensions }
      : result.data;
  };
  const groupExists = async (name: string) =>
    (
      await ok<{ group: { name: string } | null }>(
        server,
        'query ($name: String!) { group(name: $name) { name } }',
        { name },
      )
    ).group !== null;
  const act = (mutation: string, id: string) =>
    ok(server, `mutation ($id: ID!) { ${mutation}(id: $id) { id } }`, { id });

  beforeAll(async () => {
    server = await startTestServer();
    server.clock.set('2026-02-01T10:00:00.000Z');
    await insertFleet(server, [{ id: 'edge-del-001' }, { id: 'edge-del-002' }]);
    for (const name of ['del-target', 'del-canary', 'del-skip', 'del-free']) {
      await staticGroup(server, name, ['edge-del-001']);
    }
  });
  afterAll(() => server.close());

  it('refuses to delete the target group of a planned deployment, naming it', async () => {
    const id = await createDeployment(server, {
      artifact: 'qa-app:v0.0.1',
      target: { groups: ['del-target'] },
    });

    expect(await deleteGroup('del-target')).toEqual({
      code: 'CONFLICT',
      message: `Group "del-target" is used by unfinished deployments ${id}`,
      deployments: [id],
    });
    expect(await groupExists('del-target')).toBe(true);

    await act('abortDeployment', id);
    expect(await deleteGroup('del-target')).toEqual({
      deleteGroup: { name: 'del-target' },
    });
  });

  it('refuses to delete a canary source or wave exclude group of a running deployment', async () => {
    await staticGroup(server, 'del-all', ['edge-del-001', 'edge-del-002']);
    const id = await createDeployment(server, {
      artifact: 'qa-app:v0.0.2',
      target: { groups: ['del-all'] },
      canary: { sourceGroup: 'del-canary', count: 1 },
      waves: [
        { name: 'rest', groups: ['del-all'], excludeGroups: ['del-skip'] },
      ],
    });
    await act('startDeployment', id);

    expect([
      await deleteGroup('del-canary'),
      await deleteGroup('del-skip'),
    ]).toEqual([
      {
        code: 'CONFLICT',
        message: `Group "del-canary" is used by unfinished deployments ${id}`,
        deployments: [id],
      },
      {
        code: 'CONFLICT',
        message: `Group "del-skip" is used by unfinished deployments ${id}`,
        deployments: [id],
      },
    ]);
    expect(await groupExists('del-canary')).toBe(true);
    expect(await groupExists('del-skip')).toBe(true);
  });

  it('deletes a group that only finished deployments named', async () => {
    const id = await createDeployment(server, {
      artifact: 'qa-app:v0.0.3',
      target: { groups: ['del-free'] },
    });
    await server.database.pool.query(
      `UPDATE deployments SET state = 'completed' WHERE id = $1`,
      [id],
    );

    expect(await deleteGroup('del-free')).toEqual({
      deleteGroup: { name: 'del-free' },
    });
  });
});
