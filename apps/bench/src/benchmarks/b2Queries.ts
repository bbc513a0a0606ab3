/**
 * B2's fixed expressions (3-5 terms, each with NOT and a status term) and
 * the same selections as hand-written SQL over devices and device_status
 * (the tag set and the version sort key columns), with the page in id
 * order as Rollcall pages.
 */
export interface QueryCase {
  name: string;
  where: string;
  /** Condition over `d` and `s`; `$1..$n` are `values`. */
  sql: string;
  values: unknown[];
}

// Tag elements as the devices.tag_set column holds them (migration
// 20261207000000_query_columns): names and key/value pairs.
const name = (n: number) => `rollcall_tag_name($${n})`;
const pair = (k: number, v: number) => `rollcall_tag_pair($${k}, $${v})`;

export const QUERY_CASES: QueryCase[] = [
  {
    name: 'E1',
    where:
      'tag:production AND tag:gpu-capable AND NOT tag:maintenance AND status:healthy',
    sql: `s.state = 'healthy' AND d.tag_set @> ARRAY[${name(1)}, ${name(2)}]
          AND NOT d.tag_set @> ARRAY[${name(3)}]`,
    values: ['production', 'gpu-capable', 'maintenance'],
  },
  {
    name: 'E2',
    where:
      'tag:region=factory-a AND NOT status:offline AND NOT tag:canary-eligible',
    sql: `s.state <> 'offline' AND d.tag_set @> ARRAY[${pair(1, 2)}]
          AND NOT d.tag_set @> ARRAY[${name(3)}]`,
    values: ['region', 'factory-a', 'canary-eligible'],
  },
  {
    name: 'E3',
    where:
      '(tag:region=factory-a OR tag:region=factory-b) AND tag:environment=production AND NOT (tag:maintenance OR status:degraded)',
    sql: `s.state <> 'degraded'
          AND d.tag_set && ARRAY[${pair(1, 2)}, ${pair(1, 3)}]
          AND d.tag_set @> ARRAY[${pair(4, 5)}]
          AND NOT d.tag_set @> ARRAY[${name(6)}]`,
    values: [
      'region',
      'factory-a',
      'factory-b',
      'environment',
      'production',
      'maintenance',
    ],
  },
  {
    name: 'E4',
    where:
      'hardware.type = jetson-orin-nano AND status:healthy AND NOT tag:staging',
    sql: `d.hardware_type = $1 AND s.state = 'healthy'
          AND NOT d.tag_set @> ARRAY[${name(2)}]`,
    values: ['jetson-orin-nano', 'staging'],
  },
  {
    name: 'E5',
    where:
      'NOT status:healthy AND tag:gpu-capable AND deployment.current_version < 2.4.0',
    sql: `s.state <> 'healthy' AND d.tag_set @> ARRAY[${name(1)}]
          AND d.current_version_key < rollcall_version_key($2)`,
    values: ['gpu-capable', '2.4.0'],
  },
];

/** The GraphQL document B2 sends. */
export const DEVICES_QUERY = `query Devices($where: String) {
  devices(where: $where, first: 50) {
    totalCount
    edges { node { id } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** The peer's page and count statements for one case. */
export function peerStatements(queryCase: QueryCase): {
  page: string;
  count: string;
} {
  const from = `devices d JOIN device_status s ON s.device_id = d.id
    WHERE d.decommissioned_at IS NULL AND ${queryCase.sql}`;
  return {
    page: `SELECT d.id FROM ${from} ORDER BY d.id LIMIT 51`,
    count: `SELECT count(*)::int AS n FROM ${from}`,
  };
}
