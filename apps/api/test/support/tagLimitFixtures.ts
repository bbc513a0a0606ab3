import type { TestServer } from '../../src/testing/index.ts';

/** The device the tag-limit tests fill: `full-house`. */
export const FULL_HOUSE = 'full-house';

/** `count` plain tag names from `t-<from>` on. */
export function tagNames(from: number, count: number): string[] {
  return Array.from({ length: count }, (_, n) => `t-${from + n}`);
}

/** Adds plain tags to `full-house` through the API. */
export function tagFullHouse(server: TestServer, names: string[]) {
  return server.request<{ tagDevices: { affectedCount: number } }>(
    `mutation ($tags: [TagInput!]!) {
      tagDevices(ids: ["${FULL_HOUSE}"], tags: $tags) { affectedCount }
    }`,
    { tags: names.map((key) => ({ key })) },
  );
}

/**
 * Registers `full-house` at exactly 128 tags: production,
 * environment=production and gpu-none from registration, then 125 more
 * (64 per call at most).
 */
export async function registerAtTagLimit(server: TestServer): Promise<void> {
  await server.request(
    `mutation { registerDevice(input: {
      id: "${FULL_HOUSE}", hostname: "${FULL_HOUSE}.local",
      environment: "production",
      hardware: { type: "raspberry-pi-4", hasGpu: false }
    }) { device { id } } }`,
  );
  await tagFullHouse(server, tagNames(1, 64));
  await tagFullHouse(server, tagNames(65, 61));
}
