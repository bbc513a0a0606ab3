/** What a numeric config key allows beyond "a finite number >= 0". */
export interface NumberRule {
  /** A fraction is a mistake, not a setting (counts, sizes, ports). */
  whole?: true;
  /** Zero would mean "already too late" or "nothing at all". */
  positive?: true;
  max?: number;
}

const WHOLE: NumberRule = { whole: true };

/**
 * The rules of numeric keys, by `section.key`; a key absent here is any
 * non-negative number. The heartbeat interval is every device's default
 * interval, stored as whole seconds, so it has a device's bounds
 * (registerDevice and updateDevice allow 1 to 86,400 s).
 */
export const NUMBER_RULES: Readonly<Record<string, NumberRule>> = {
  'server.port': { whole: true, max: 65_535 },
  'server.max_body_bytes': WHOLE,
  'server.max_page_size': WHOLE,
  'server.max_query_depth': WHOLE,
  'server.max_query_cost': WHOLE,
  'server.ws_max_buffered_bytes': WHOLE,
  'database.pool_size': { whole: true, positive: true },
  'heartbeat.interval_seconds': { whole: true, positive: true, max: 86_400 },
  'heartbeat.timeout_seconds': { positive: true },
  'heartbeat.retry_count': WHOLE,
  'heartbeat.rate_limit_per_minute': WHOLE,
  'health.max_errors_last_hour': WHOLE,
  'health.min_disk_free_mb': WHOLE,
  'sweeper.interval_seconds': { positive: true },
  'history.retention_days': WHOLE,
  'catch_up.delivery_timeout_minutes': { positive: true },
  'alerts.webhook_max_attempts': WHOLE,
  'auth.rate_limit_per_minute': WHOLE,
  'demo.simulated_devices': WHOLE,
};

// A number in a string (an environment variable): plain decimal digits,
// so that "", " ", "0x1000" and "1e3" are refused, not read as 0, 4096, 1000.
const DECIMAL = /^\s*\d+(\.\d+)?\s*$/;

/**
 * `raw` as the number `key` allows, or the reason it is not one (to be
 * reported with the key and where it came from).
 */
export function readNumber(
  key: string,
  raw: unknown,
): { value: number } | { reason: string } {
  const value =
    typeof raw !== 'string' ? raw : DECIMAL.test(raw) ? Number(raw) : NaN;
  const shown = JSON.stringify(raw);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    return { reason: `expected a non-negative number, got ${shown}` };
  }
  const rule = NUMBER_RULES[key] ?? {};
  if (value === 0 && rule.positive) {
    return { reason: 'expected a positive number, got 0' };
  }
  if (rule.whole && !Number.isSafeInteger(value)) {
    return { reason: `expected a whole number, got ${shown}` };
  }
  if (rule.max !== undefined && value > rule.max) {
    return { reason: `expected at most ${rule.max}, got ${shown}` };
  }
  return { value };
}
