import type pg from 'pg';

// Any constant works; all Rollcall processes on a database share it.
const SWEEPER_LOCK = "hashtext('rollcall.offline-sweeper')";

/**
 * Runs `work` on one pooled connection holding the sweeper's session
 * advisory lock (one sweeper at a time across processes, across all the
 * sweep's transactions); `notRan` when another process holds it. The lock
 * ends with the connection if the process dies.
 */
export async function whileLocked<T>(
  pool: pg.Pool,
  notRan: T,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      `SELECT pg_try_advisory_lock(${SWEEPER_LOCK}) AS locked`,
    );
    if (!rows[0]?.locked) return notRan;
    try {
      return await work(client);
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${SWEEPER_LOCK})`);
    }
  } catch (error) {
    failure = error as Error;
    throw error;
  } finally {
    // A connection that failed mid-sweep is dropped, never reused.
    client.release(failure);
  }
}

/** `work` in one transaction on `client`. */
export async function inTransaction<T>(
  client: pg.PoolClient,
  work: () => Promise<T>,
): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
