/** One line of a chart: points in time order (x in ms since the epoch). */
export interface ChartSeries {
  name: string;
  /** A CSS colour or variable. */
  color: string;
  points: readonly { x: number; y: number }[];
}

interface LineChartProps {
  /** Read by screen readers, and shown as the chart's title. */
  label: string;
  series: readonly ChartSeries[];
  /** Drawing units; the SVG scales to its container, text with it. */
  width?: number;
  height?: number;
  unit?: string;
}

const PADDING = { top: 10, right: 10, bottom: 22, left: 44 };

function bounds(series: readonly ChartSeries[]) {
  const points = series.flatMap((line) => line.points);
  const xs = points.map((point) => point.x);
  const ys = points.map((point) => point.y);
  return {
    minX: Math.min(...xs),
    maxX: Math.max(...xs),
    maxY: Math.max(1, ...ys),
  };
}

/**
 * A small SVG line chart that scales to its container's width. Shows a
 * message instead when no series has a point.
 */
export function LineChart({
  label,
  series,
  width = 600,
  height = 160,
  unit = '',
}: LineChartProps) {
  const hasPoints = series.some((line) => line.points.length > 0);
  if (!hasPoints)
    return <p className="empty">No data for {label.toLowerCase()} yet.</p>;

  const { minX, maxX, maxY } = bounds(series);
  const innerWidth = width - PADDING.left - PADDING.right;
  const innerHeight = height - PADDING.top - PADDING.bottom;
  const spanX = Math.max(1, maxX - minX);
  const toX = (x: number) => PADDING.left + ((x - minX) / spanX) * innerWidth;
  const toY = (y: number) =>
    PADDING.top + innerHeight - (y / maxY) * innerHeight;
  const ticks = [0, maxY / 2, maxY];

  return (
    <figure className="chart">
      <figcaption>{label}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
        {ticks.map((tick) => (
          <g key={tick}>
            <line
              className="chart-grid"
              x1={PADDING.left}
              x2={width - PADDING.right}
              y1={toY(tick)}
              y2={toY(tick)}
            />
            <text
              className="chart-axis"
              x={PADDING.left - 6}
              y={toY(tick) + 4}
              textAnchor="end"
            >
              {Number.isInteger(tick) ? tick : tick.toFixed(1)}
              {unit}
            </text>
          </g>
        ))}
        <text className="chart-axis" x={PADDING.left} y={height - 6}>
          {new Date(minX).toLocaleTimeString([], {
            hour: '2-digit',
            minute: '2-digit',
          })}
        </text>
        <text
          className="chart-axis"
          x={width - PADDING.right}
          y={height - 6}
          textAnchor="end"
        >
          {new Date(maxX).toLocaleTimeString([], {
            hour: '2-digit',
            minute: '2-digit',
          })}
        </text>
        {series.map((line) => (
          <polyline
            key={line.name}
            fill="none"
            stroke={line.color}
            strokeWidth={2}
            points={line.points
              .map((point) => `${toX(point.x)},${toY(point.y)}`)
              .join(' ')}
          >
            <title>{line.name}</title>
          </polyline>
        ))}
      </svg>
      <ul className="chart-legend">
        {series.map((line) => (
          <li key={line.name}>
            <span
              className="swatch"
              style={{ background: line.color }}
              aria-hidden="true"
            />
            {line.name}
          </li>
        ))}
      </ul>
    </figure>
  );
}
