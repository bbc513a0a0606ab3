import { mkdtempSync, rmSync } from 'node:fs';
import { totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/db/embeddedPostgres.ts';
import { sharedBuffersMb } from '../src/db/embeddedSettings.ts';
import { testLogger } from '../src/testing/index.ts';

const GB = 1024 ** 3;

describe('the embedded server sizes its buffers by the machine', () => {
  const root = mkdtempSync(join(tmpdir(), 'rollcall-buffers-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('takes an eighth of memory, between 256 MB and 2 GB', () => {
    expect(
      [1, 2, 4, 8, 12, 16, 24, 64].map((gb) => sharedBuffersMb(gb * GB)),
    ).toEqual([256, 256, 512, 1024, 1536, 2048, 2048, 2048]);
  });

  it('runs a durable cluster with that size and a test cluster with 256 MB', async () => {
    const shown: string[] = [];
    for (const ephemeral of [false, true]) {
      const postgres = await startEmbeddedPostgres({
        dataDir: join(root, ephemeral ? 'ephemeral' : 'durable'),
        logger: testLogger(),
        ephemeral,
      });
      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      const { rows } = await client.query<{ value: string }>(
        `SELECT current_setting('shared_buffers') AS value`,
      );
      shown.push(rows[0]!.value);
      await client.end();
      await postgres.stop();
    }
    const durableMb = sharedBuffersMb(totalmem());
    expect(shown).toEqual([
      durableMb % 1024 === 0 ? `${durableMb / 1024}GB` : `${durableMb}MB`,
      '256MB',
    ]);
  }, 60_000);
});
