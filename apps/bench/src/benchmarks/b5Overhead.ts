import { createJsonClient } from '../httpClient.ts';
import { runLoad } from '../load.ts';
import { ratio } from '../stats.ts';
import type { Benchmark } from '../types.ts';
import { assertClean, boundsFor, loadFigures } from './common.ts';

const TRIVIAL = { query: '{ __typename }' };

interface TrivialAnswer {
  data?: { __typename?: string };
}

/**
 * B5: the cost of the GraphQL layer alone. A trivial anonymous query
 * (no resolver, no database) against a bare node:http server answering
 * the same JSON, both with 50 concurrent keep-alive clients.
 */
export const b5Overhead: Benchmark = {
  id: 'B5',
  title: 'GraphQL overhead: trivial query vs bare node:http JSON',
  async run({ rollcall, httpPeer, smoke }) {
    const bounds = boundsFor(smoke, {
      concurrency: 50,
      maxOperations: 60_000,
      maxDurationMs: 8_000,
    });
    const measure = async (url: string) => {
      const client = createJsonClient(url, bounds.concurrency);
      let answer: TrivialAnswer | null = null;
      const result = await runLoad(bounds, async () => {
        answer = await client.post<TrivialAnswer>('/graphql', TRIVIAL);
        return 1;
      });
      client.close();
      return { result, answer: answer as TrivialAnswer | null };
    };
    const ours = await measure(rollcall.url);
    const peer = await measure(httpPeer.url);
    assertClean('rollcall', ours.result);
    assertClean('peer', peer.result);
    const x = ratio(ours.result.unitsPerSecond, peer.result.unitsPerSecond);
    return {
      figures: {
        ...loadFigures('rollcall', ours.result, 'requestsPerSecond'),
        ...loadFigures('peer', peer.result, 'requestsPerSecond'),
        ratio: x,
      },
      goals: [{ goal: 'throughput >= 0.25x peer', value: x, met: x >= 0.25 }],
      agreement: [
        {
          what: 'answer',
          ours: ours.answer?.data ?? null,
          peer: peer.answer?.data ?? null,
        },
      ],
    };
  },
};
