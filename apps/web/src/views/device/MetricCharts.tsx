import { LineChart } from '../../components/LineChart.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { fieldLabel } from '../../components/labels.ts';
import { useHeartbeats } from './useDevice.ts';

type Heartbeat = {
  receivedAt: string;
  /** The JSON scalar: an object of metrics, or null. */
  metrics: unknown;
};

function metricsOf(heartbeat: Heartbeat): Record<string, unknown> {
  const { metrics } = heartbeat;
  return typeof metrics === 'object' && metrics !== null
    ? (metrics as Record<string, unknown>)
    : {};
}

/** Every numeric metric the heartbeats carry, as its own series. */
function numericSeries(heartbeats: readonly Heartbeat[]) {
  const names = new Set<string>();
  for (const heartbeat of heartbeats) {
    for (const [name, value] of Object.entries(metricsOf(heartbeat))) {
      if (typeof value === 'number') names.add(name);
    }
  }
  return [...names].sort().map((name) => ({
    name,
    points: heartbeats.flatMap((heartbeat) => {
      const value = metricsOf(heartbeat)[name];
      return typeof value === 'number'
        ? [{ x: Date.parse(heartbeat.receivedAt), y: value }]
        : [];
    }),
  }));
}

/** One small chart per metric from the device's heartbeat history. */
export function MetricCharts({ deviceId }: { deviceId: string }) {
  const heartbeats = useHeartbeats(deviceId);
  return (
    <section className="card" aria-labelledby="metrics-title">
      <h2 id="metrics-title">Metrics</h2>
      <QueryState
        query={heartbeats}
        label="heartbeats"
        isEmpty={(data) => data.length === 0}
        empty="No heartbeats received yet."
      >
        {(data) => (
          <div className="chart-grid-layout">
            {numericSeries(data).map((series) => (
              <LineChart
                key={series.name}
                label={fieldLabel(series.name)}
                width={320}
                height={140}
                series={[
                  {
                    name: fieldLabel(series.name),
                    color: 'var(--accent)',
                    points: series.points,
                  },
                ]}
              />
            ))}
          </div>
        )}
      </QueryState>
    </section>
  );
}
