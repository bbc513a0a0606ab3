import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { capturedLogger } from './support/capturedLog.ts';
import { insertLivenessDevices } from './support/livenessFixtures.ts';

describe('the offline sweep log', () => {
  const log = capturedLogger('info');
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ logger: log.logger });
  });
  afterAll(() => server.close());

  it('writes one line per sweep naming the first 100 devices and counting the rest', async () => {
    const now = server.clock.now();
    const ids = Array.from(
      { length: 102 },
      (_, i) => `log-${String(i).padStart(3, '0')}`,
    );
    await insertLivenessDevices(
      server.database.pool,
      ids.map((id, i) => ({ id, state: i < 2 ? 'degraded' : 'healthy' })),
      now,
    );
    server.clock.advance(180_001);

    await server.server.services.liveness.sweeper.runOnce();

    const lines = log.lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.msg === 'devices timed out');
    expect(lines).toHaveLength(1);
    expect({
      count: lines[0]!.count,
      from: lines[0]!.from,
      deviceIds: lines[0]!.deviceIds,
      moreDevices: lines[0]!.moreDevices,
    }).toEqual({
      count: 102,
      from: { degraded: 2, healthy: 100 },
      deviceIds: ids.slice(0, 100),
      moreDevices: 2,
    });
  });
});
