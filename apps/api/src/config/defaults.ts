/**
 * Every configuration key with its default. The YAML config file has this
 * shape (the spec's `heartbeat:` block and Rollcall's own sections); each key
 * is also settable by environment as ROLLCALL_<SECTION>_<KEY>, for example
 * ROLLCALL_HEARTBEAT_TIMEOUT_SECONDS=300. CONFIGURATION.md documents each.
 */
export const DEFAULT_CONFIG = {
  server: {
    /** TCP port for HTTP and WebSocket (also `PORT`). */
    port: 4000,
    /** Interface to listen on. */
    host: '0.0.0.0',
    /** Browser origins allowed by CORS; empty means closed. */
    cors_origins: [] as string[],
    /** Largest accepted request body, in bytes. */
    max_body_bytes: 1_048_576,
    /** Largest page a connection returns (`first`). */
    max_page_size: 500,
    /** Deepest accepted GraphQL selection. */
    max_query_depth: 12,
    /** Most fields one GraphQL operation may select. */
    max_query_cost: 5_000,
    /** Unread bytes a WebSocket client may fall behind before it is closed. */
    ws_max_buffered_bytes: 4_194_304,
  },
  database: {
    /** External PostgreSQL (also `DATABASE_URL`); empty runs embedded. */
    url: '',
    /** Embedded PostgreSQL data directory (also `ROLLCALL_DATA_DIR`). */
    data_dir: './data',
    /** Connections in the pool. */
    pool_size: 20,
  },
  heartbeat: {
    /** Expected heartbeat interval, in seconds. */
    interval_seconds: 60,
    /** Silence after which a device is offline, in seconds. */
    timeout_seconds: 180,
    /** Device-side retry settings, followed by the simulator. */
    retry_on_failure: true,
    retry_count: 3,
    retry_backoff_seconds: 5,
    /** Offline escalation thresholds, in minutes. */
    offline_warning_minutes: 5,
    offline_alert_minutes: 15,
    offline_critical_minutes: 60,
    /** Heartbeats accepted per device per minute before RATE_LIMITED. */
    rate_limit_per_minute: 120,
  },
  health: {
    /** A degraded device is healthy again only within all of these. */
    max_cpu_percent: 90,
    max_memory_percent: 90,
    max_temperature_c: 80,
    min_disk_free_mb: 1024,
    max_errors_last_hour: 10,
  },
  sweeper: {
    /** How often the offline sweeper runs, in seconds. */
    interval_seconds: 5,
  },
  history: {
    /** Heartbeat history kept, in days. */
    retention_days: 30,
    /** How often old history is pruned, in minutes. */
    prune_interval_minutes: 60,
  },
  sync: {
    /** Registry sync period, in hours. */
    interval_hours: 24,
  },
  catch_up: {
    /**
     * Time a device has, from being handed its queued version, to report
     * it healthy, in minutes; later, the attempt counts as failed.
     */
    delivery_timeout_minutes: 30,
  },
  alerts: {
    /** URLs that receive alerts as signed POSTs. */
    webhook_urls: [] as string[],
    /** HMAC-SHA256 key for the X-Rollcall-Signature header. */
    webhook_secret: '',
    webhook_max_attempts: 5,
    webhook_backoff_seconds: 2,
  },
  auth: {
    /** Bootstrap admin key (also `ROLLCALL_ADMIN_TOKEN`). */
    admin_token: '',
    /** Operator queries accepted per key per minute. */
    rate_limit_per_minute: 6_000,
  },
  demo: {
    /** `on` imports the demo fleet and simulates it (also `ROLLCALL_DEMO`). */
    mode: 'on' as 'on' | 'off',
    /** Simulated devices driven by the demo. */
    simulated_devices: 300,
    /** Simulated clock speed-up of the demo's offline scenarios. */
    time_scale: 1,
  },
  log: {
    level: 'info',
  },
};

export type RollcallConfig = typeof DEFAULT_CONFIG;
