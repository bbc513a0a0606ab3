import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { capturedLogger } from './support/capturedLog.ts';
import {
  createDeployment,
  heartbeats,
  insertFleet,
  logMessages,
  ok,
  staticGroup,
} from './support/deploymentFixtures.ts';

const MINUTE = 60_000;

describe('deployments whose target no longer resolves', () => {
  let server: TestServer;
  const log = capturedLogger('info');
  const tokens = new Map<string, string>();
  let beat: ReturnType<typeof heartbeats>;

  const create = (waves: Array<Record<string, unknown>>, groups: string[]) =>
    createDeployment(server, {
      artifact: 'qa-app:v0.0.1',
      target: { groups },
      waves,
    });
  const act = async (mutation: string, id: string) => {
    const result = await server.request<Record<string, { state: string }>>(
      `mutation ($id: ID!) { ${mutation}(id: $id) { state } }`,
      { id },
    );
    return result.errors
      ? result.errors.map((error) => [error.extensions?.code, error.message])
      : result.data![mutation]!.state;
  };
  const states = async (id: string) => {
    const { deployment } = await ok<{
      deployment: { state: string; waves: Array<{ state: string }> };
    }>(
      server,
      `query ($id: ID!) { deployment(id: $id) { state waves { state } } }`,
      {
        id,
      },
    );
    return [deployment.state, ...deployment.waves.map((wave) => wave.state)];
  };
  // Deleted behind the API's back, as a sync or another process may do,
  // since deleteGroup refuses while a deployment uses the group.
  const dropGroup = (name: string) =>
    server.database.pool.query('DELETE FROM groups WHERE name = $1', [name]);
  const levels = () =>
    log.lines.map((line) => {
      const entry = JSON.parse(line) as { level: number; msg: string };
      return [entry.level, entry.msg];
    });
  const tick = () => server.server.services.deployments.worker.runOnce();

  beforeAll(async () => {
    server = await startTestServer({ logger: log.logger });
    server.clock.set('2026-02-01T10:00:00.000Z');
    beat = heartbeats(server, tokens);
    const fleet = await insertFleet(server, [
      { id: 'edge-qa-001' },
      { id: 'edge-qa-002' },
      { id: 'edge-qa-003' },
    ]);
    for (const [id, token] of fleet) tokens.set(id, token);
  });
  afterAll(() => server.close());

  it('refuses to start with an unknown group and leaves the deployment planned, unlogged', async () => {
    await staticGroup(server, 'qa-d', ['edge-qa-001']);
    const id = await create([], ['qa-d']);
    await dropGroup('qa-d');

    expect(await act('startDeployment', id)).toEqual([
      ['INVALID_MANIFEST', 'unknown group "qa-d"'],
    ]);
    expect(await states(id)).toEqual(['PLANNED', 'PENDING']);
    expect(await logMessages(server, id)).toEqual([
      'deployment of qa-app:v0.0.1 (0.0.1) created by operator:bootstrap-admin',
    ]);

    await staticGroup(server, 'qa-d', ['edge-qa-001']);
    expect(await act('startDeployment', id)).toBe('RUNNING');
  });

  it('refuses to resume with an unknown group and leaves the deployment paused', async () => {
    await staticGroup(server, 'qa-r1', ['edge-qa-002']);
    await staticGroup(server, 'qa-r2', ['edge-qa-003']);
    const id = await create(
      [
        { name: 'one', groups: ['qa-r1'] },
        { name: 'two', groups: ['qa-r2'] },
      ],
      ['qa-r1', 'qa-r2'],
    );
    await act('startDeployment', id);
    await act('pauseDeployment', id);
    await beat('edge-qa-002', '0.0.1');
    await dropGroup('qa-r2');

    expect(await act('resumeDeployment', id)).toEqual([
      ['INVALID_MANIFEST', 'unknown group "qa-r2"'],
    ]);
    expect(await states(id)).toEqual(['PAUSED', 'RUNNING', 'PENDING']);
    expect((await logMessages(server, id)).slice(-2)).toEqual([
      'paused by operator:bootstrap-admin',
      'edge-qa-002 succeeded: runs 0.0.1',
    ]);
  });

  it('pauses a running deployment once when a later wave names a group that is gone', async () => {
    await staticGroup(server, 'qa-w1', ['edge-qa-001']);
    await staticGroup(server, 'qa-w2', ['edge-qa-003']);
    const id = await create(
      [
        { name: 'one', groups: ['qa-w1'], soakMinutes: 10 },
        { name: 'two', groups: ['qa-w2'] },
      ],
      ['qa-w1', 'qa-w2'],
    );
    await act('startDeployment', id);
    await beat('edge-qa-001', '0.0.1');
    await dropGroup('qa-w2');
    server.clock.advance(10 * MINUTE);
    log.lines.length = 0;

    await tick();
    await tick();
    await tick();

    expect(await states(id)).toEqual(['PAUSED', 'SOAKING', 'PENDING']);
    expect((await logMessages(server, id)).slice(-2)).toEqual([
      'wave 0 "one" finished; soaking until 2026-02-01T10:10:00.000Z',
      'paused: target no longer resolves (unknown group "qa-w2"); ' +
        'restore the group and resume, or abort',
    ]);
    expect(levels()).toEqual([
      [40, 'deployment paused: its target no longer resolves'],
    ]);

    await staticGroup(server, 'qa-w2', ['edge-qa-003']);
    expect(await act('resumeDeployment', id)).toBe('RUNNING');
    expect(await states(id)).toEqual(['RUNNING', 'COMPLETED', 'RUNNING']);
  });
});
