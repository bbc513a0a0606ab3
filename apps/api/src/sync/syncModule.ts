import type pg from 'pg';
import { requireRole } from '../auth/authService.ts';
import {
  decodeCursor,
  encodeCursor,
  pageSize,
  toConnection,
} from '../devices/pagination.ts';
import { RollcallError } from '../errors.ts';
import type { GraphqlModule } from '../server/graphqlModule.ts';
import type { SyncReport } from './registrySync.ts';

const typeDefs = /* GraphQL */ `
  "A record field where the device's report differed from the registry."
  type SyncDiscrepancy {
    deviceId: ID!
    "hardware.<field> or software.<field>, in the record's names."
    field: String!
    registryValue: JSON
    reportedValue: JSON
  }

  "What one registry sync found and did."
  type SyncReport {
    id: ID!
    "scheduled or manual."
    trigger: String!
    startedAt: DateTime!
    finishedAt: DateTime
    "Devices heard from since the previous sync."
    devicesSynced: Int!
    discrepancyCount: Int!
    discrepancies: [SyncDiscrepancy!]!
    newlyOffline: [ID!]!
    newlyOnline: [ID!]!
  }

  type SyncReportEdge {
    cursor: String!
    node: SyncReport!
  }

  type SyncReportConnection {
    edges: [SyncReportEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  extend type Query {
    "Sync reports, newest first."
    syncReports(first: Int, after: String): SyncReportConnection!
    syncReport(id: ID!): SyncReport
  }

  extend type Mutation {
    "Runs the registry sync now (operator)."
    runRegistrySync: SyncReport!
  }
`;

interface ReportRow {
  id: string;
  trigger: string;
  started_at: Date;
  finished_at: Date | null;
  devices_synced: number;
  discrepancies: SyncReport['discrepancies'];
  newly_offline: string[];
  newly_online: string[];
}

const COLUMNS = `id::text AS id, trigger, started_at, finished_at, devices_synced,
  discrepancies, newly_offline, newly_online`;
const CURSOR_KIND = 'sync';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function view(row: ReportRow): SyncReport {
  return {
    id: row.id,
    trigger: row.trigger,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    devicesSynced: row.devices_synced,
    discrepancies: row.discrepancies,
    newlyOffline: row.newly_offline,
    newlyOnline: row.newly_online,
  };
}

async function findReport(pool: pg.Pool, id: string) {
  if (!UUID.test(id)) return null;

  const { rows } = await pool.query<ReportRow>(
    `SELECT ${COLUMNS} FROM sync_reports WHERE id = $1`,
    [id],
  );
  return rows[0] ? view(rows[0]) : null;
}

/** Registry sync: run on demand, read the reports. */
export const syncModule: GraphqlModule = {
  name: 'sync',
  typeDefs,
  resolvers: {
    SyncReport: {
      discrepancyCount: (report: SyncReport) => report.discrepancies.length,
    },
    Query: {
      syncReports: async (
        _parent,
        args: { first?: number | null; after?: string | null },
        context,
      ) => {
        requireRole(context.principal, 'viewer');
        const size = pageSize(args.first, context.config);
        const after = args.after
          ? decodeCursor(CURSOR_KIND, args.after).split('|')
          : null;
        const [page, total] = await Promise.all([
          context.db.pool.query<ReportRow>(
            `SELECT ${COLUMNS} FROM sync_reports
             WHERE $1::timestamptz IS NULL OR (started_at, id) < ($1, $2::uuid)
             ORDER BY started_at DESC, id DESC LIMIT $3`,
            [
              after ? new Date(Number(after[0])) : null,
              after?.[1] ?? null,
              size + 1,
            ],
          ),
          context.db.pool.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM sync_reports',
          ),
        ]);
        return toConnection(
          page.rows,
          size,
          total.rows[0]?.n ?? 0,
          (row) =>
            encodeCursor(CURSOR_KIND, `${row.started_at.getTime()}|${row.id}`),
          view,
        );
      },
      syncReport: (_parent, args: { id: string }, context) => {
        requireRole(context.principal, 'viewer');
        return findReport(context.db.pool, args.id);
      },
    },
    Mutation: {
      runRegistrySync: async (_parent, _args, context) => {
        requireRole(context.principal, 'operator');
        const report =
          await context.services.liveness.registrySync.run('manual');
        if (!report) {
          throw new RollcallError(
            'CONFLICT',
            'A registry sync is already running; retry when it ends',
            {
              retryable: true,
            },
          );
        }
        return report;
      },
    },
  },
};
