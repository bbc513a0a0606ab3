import { BENCH_ADMIN_KEY } from '../fixtures.ts';
import { timed } from '../load.ts';
import { ratio, summarize } from '../stats.ts';
import type { Benchmark } from '../types.ts';
import { unavailable } from '../types.ts';
import { DEVICES_QUERY, QUERY_CASES, peerStatements } from './b2Queries.ts';

interface DevicesAnswer {
  data?: {
    devices: {
      totalCount: number;
      edges: Array<{ node: { id: string } }>;
      pageInfo: { hasNextPage: boolean };
    };
  } | null;
  errors?: Array<{ message: string }>;
}

interface Page {
  totalCount: number;
  ids: string[];
}

/**
 * B2: `devices(where)` first page of 50 with totalCount, over HTTP with an
 * operator key, against the same selection as hand-written SQL through pg
 * (page and count in parallel, as Rollcall runs them). Requests are
 * sequential and alternate between the two, so both see the same noise.
 */
export const b2DeviceQuery: Benchmark = {
  id: 'B2',
  title: 'devices(where) first page + totalCount vs hand-written SQL',
  async run({ schema, admin, fleet, smoke }) {
    if (!schema.query.has('devices')) {
      return unavailable('Query.devices is not in the schema yet');
    }
    const pool = fleet.database.pool;
    const iterations = smoke ? 2 : 40;
    const warmup = smoke ? 1 : 3;

    const ours = async (where: string): Promise<Page> => {
      const answer = await admin.post<DevicesAnswer>(
        '/graphql',
        { query: DEVICES_QUERY, variables: { where } },
        BENCH_ADMIN_KEY,
      );
      if (!answer.data)
        throw new Error(answer.errors?.[0]?.message ?? 'no data');
      const { devices } = answer.data;
      return {
        totalCount: devices.totalCount,
        ids: devices.edges.map((edge) => edge.node.id),
      };
    };
    const peer = async (index: number): Promise<Page> => {
      const queryCase = QUERY_CASES[index]!;
      const statements = peerStatements(queryCase);
      const [page, count] = await Promise.all([
        pool.query<{ id: string }>(statements.page, queryCase.values),
        pool.query<{ n: number }>(statements.count, queryCase.values),
      ]);
      return {
        totalCount: count.rows[0]?.n ?? 0,
        ids: page.rows.slice(0, 50).map((row) => row.id),
      };
    };

    const oursAll: number[] = [];
    const peerAll: number[] = [];
    const figures: Record<string, number> = {};
    const agreement = [];
    for (const [index, queryCase] of QUERY_CASES.entries()) {
      for (let i = 0; i < warmup; i += 1) {
        await ours(queryCase.where);
        await peer(index);
      }
      const oursMs: number[] = [];
      const peerMs: number[] = [];
      let oursPage: Page | null = null;
      let peerPage: Page | null = null;
      for (let i = 0; i < iterations; i += 1) {
        const a = await timed(() => ours(queryCase.where));
        const b = await timed(() => peer(index));
        oursMs.push(a.ms);
        peerMs.push(b.ms);
        oursPage = a.value;
        peerPage = b.value;
      }
      oursAll.push(...oursMs);
      peerAll.push(...peerMs);
      const o = summarize(oursMs);
      const p = summarize(peerMs);
      figures[`${queryCase.name}.rollcall.p50Ms`] = o.p50Ms;
      figures[`${queryCase.name}.peer.p50Ms`] = p.p50Ms;
      figures[`${queryCase.name}.totalCount`] = oursPage?.totalCount ?? -1;
      agreement.push({
        what: `${queryCase.name} totalCount and first page`,
        ours: oursPage,
        peer: peerPage,
      });
    }
    const o = summarize(oursAll);
    const p = summarize(peerAll);
    const x = ratio(o.p50Ms, p.p50Ms);
    return {
      figures: {
        'rollcall.p50Ms': o.p50Ms,
        'rollcall.p99Ms': o.p99Ms,
        'peer.p50Ms': p.p50Ms,
        'peer.p99Ms': p.p99Ms,
        'ratio.p50': x,
        ...figures,
      },
      goals: [
        { goal: 'p50 <= 1.5x peer', value: x, met: x <= 1.5 },
        { goal: 'p99 <= 100 ms', value: o.p99Ms, met: o.p99Ms <= 100 },
      ],
      agreement,
      notes: QUERY_CASES.map((c) => `${c.name}: ${c.where}`),
    };
  },
};
