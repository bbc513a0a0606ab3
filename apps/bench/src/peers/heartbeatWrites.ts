import type pg from 'pg';

/** One heartbeat as a GraphQL `HeartbeatInput` carries it. */
export interface PeerHeartbeat {
  deviceId: string;
  timestamp?: string | null;
  status: string;
  appVersion?: string | null;
  sequence?: number | null;
  metrics?: Record<string, number | null> | null;
}

const SNAKE: Record<string, string> = {
  cpuPercent: 'cpu_percent',
  memoryUsedMb: 'memory_used_mb',
  memoryTotalMb: 'memory_total_mb',
  diskFreeMb: 'disk_free_mb',
  gpuPercent: 'gpu_percent',
  temperatureCpuC: 'temperature_cpu_c',
  temperatureGpuC: 'temperature_gpu_c',
  uptimeSeconds: 'uptime_seconds',
  errorCountLastHour: 'error_count_last_hour',
  inferenceLatencyP95Ms: 'inference_latency_p95_ms',
};

function storedMetrics(metrics: PeerHeartbeat['metrics']): string | null {
  if (!metrics) return null;
  const out: Record<string, number | null> = {};
  for (const [key, value] of Object.entries(metrics)) {
    out[SNAKE[key] ?? key] = value;
  }
  return JSON.stringify(out);
}

/**
 * The peer's write path: one statement updating the liveness rows from
 * unnest and appending the history rows, like Rollcall's batch writer,
 * without the state machine, ordering checks, events or observers. Rows
 * are locked in device order first, as Rollcall's writer does: concurrent
 * batches over the same devices would otherwise deadlock.
 */
export async function writeHeartbeats(
  pool: pg.Pool,
  heartbeats: PeerHeartbeat[],
  receivedAt: Date,
  timeoutSeconds: number,
): Promise<number> {
  const result = await pool.query(
    `WITH u AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[],
                            $4::jsonb[], $5::bigint[], $6::timestamptz[])
         AS u(device_id, status, app_version, metrics, sequence, device_time)
     ), locked AS MATERIALIZED (
       SELECT s.device_id FROM device_status s
       WHERE s.device_id IN (SELECT device_id FROM u)
       ORDER BY s.device_id
       FOR UPDATE
     ), status AS (
       UPDATE device_status s SET
         connectivity = 'online', last_heartbeat_at = $7,
         last_device_time = u.device_time, last_sequence = u.sequence,
         reported_status = u.status,
         app_version = coalesce(u.app_version, s.app_version),
         uptime_seconds = (u.metrics ->> 'uptime_seconds')::bigint,
         metrics = u.metrics, due_at = $7::timestamptz + $8 * interval '1 second'
       FROM u JOIN locked l ON l.device_id = u.device_id
       WHERE s.device_id = u.device_id
       RETURNING s.device_id
     )
     INSERT INTO heartbeats
       (device_id, received_at, device_time, sequence, status, app_version,
        metrics)
     SELECT u.device_id, $7, u.device_time, u.sequence, u.status,
            u.app_version, u.metrics
     FROM u JOIN status ON status.device_id = u.device_id`,
    [
      heartbeats.map((h) => h.deviceId),
      heartbeats.map((h) => h.status.toLowerCase()),
      heartbeats.map((h) => h.appVersion ?? null),
      heartbeats.map((h) => storedMetrics(h.metrics)),
      heartbeats.map((h) => h.sequence ?? null),
      heartbeats.map((h) => (h.timestamp ? new Date(h.timestamp) : null)),
      receivedAt,
      timeoutSeconds,
    ],
  );
  return result.rowCount ?? 0;
}
