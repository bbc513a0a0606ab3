import { DEVICE_STATES, OFFLINE_TIERS } from '@rollcall/fleet';
import { LineChart, type ChartSeries } from '../../components/LineChart.tsx';
import { ErrorMessage, QueryState } from '../../components/QueryState.tsx';
import { formatCount } from '../../components/format.ts';
import { Link } from '../../router/Link.tsx';
import { useFleetHealth, useFleetHealthHistory } from './useFleetHealth.ts';

const CHART_STATES = [
  'healthy',
  'degraded',
  'failed',
  'offline',
  'maintenance',
];

/** The count of `name` in a list of `{ state|tier, count }` (enums upper case). */
function countOf(
  list: readonly { state?: string; tier?: string; count: number }[],
  name: string,
): number {
  return list
    .filter((item) => (item.state ?? item.tier ?? '').toLowerCase() === name)
    .reduce((sum, item) => sum + item.count, 0);
}

/** Fleet health: counts by state and by tier, active fleet size, 24 h chart. */
export function FleetHealthView() {
  const health = useFleetHealth();

  return (
    <section aria-labelledby="fleet-title">
      <h1 id="fleet-title">Fleet health</h1>
      <QueryState query={health} label="fleet health">
        {(data) => (
          <>
            <div className="stat-row">
              <Stat label="Active fleet" value={data.activeFleetSize} />
              <Stat label="All devices" value={data.total} />
            </div>
            <h2>By state</h2>
            <ul className="tiles" aria-label="Devices by state">
              {DEVICE_STATES.map((state) => (
                <li key={state} className={`tile tile-${state}`}>
                  <Link
                    to={`/devices?q=${encodeURIComponent(`status:${state}`)}`}
                  >
                    <span className="tile-label">{state}</span>
                    <span className="tile-value">
                      {formatCount(countOf(data.byState, state))}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
            <h2>By offline tier</h2>
            <ul className="tiles" aria-label="Offline devices by tier">
              {OFFLINE_TIERS.map((tier) => (
                <li key={tier} className="tile">
                  <Link to={`/escalation#${tier}`}>
                    <span className="tile-label">{tier.replace('_', ' ')}</span>
                    <span className="tile-value">
                      {formatCount(countOf(data.byTier, tier))}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          </>
        )}
      </QueryState>
      <HistoryChart />
    </section>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="stat">
      <span className="stat-label">{label}</span>
      <span className="stat-value" aria-label={`${label}: ${value}`}>
        {formatCount(value)}
      </span>
    </div>
  );
}

function HistoryChart() {
  const history = useFleetHealthHistory();
  if (history.isError)
    return (
      <ErrorMessage
        error={history.error}
        onRetry={() => void history.refetch()}
      />
    );
  if (history.isPending)
    return (
      <p role="status" className="muted">
        Loading history…
      </p>
    );

  // Points before the first device existed count nothing: the line starts
  // where the registry's history does, not with a run of zeros.
  const first = history.data.findIndex((point) =>
    point.counts.some((item) => item.count > 0),
  );
  const points = first === -1 ? [] : history.data.slice(first);
  const series: ChartSeries[] = CHART_STATES.map((state) => ({
    name: state,
    color: `var(--state-${state})`,
    points: points.map((point) => ({
      x: Date.parse(point.at),
      y: countOf(point.counts, state),
    })),
  }));
  const start = history.data[0];
  const end = history.data[history.data.length - 1];
  return (
    <LineChart
      label="Devices by state, last 24 hours"
      series={series}
      xRange={
        start && end ? [Date.parse(start.at), Date.parse(end.at)] : undefined
      }
    />
  );
}
