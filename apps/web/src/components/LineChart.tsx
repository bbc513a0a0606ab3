import { formatTick, labelWidth, niceTicks, timeLabels } from './chartScale.ts';

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
  /** The x-axis span (ms) when it should be wider than the data's. */
  xRange?: readonly [number, number];
}

const PADDING = { top: 10, right: 10, bottom: 22 };

function bounds(series: readonly ChartSeries[]) {
  const points = series.flatMap((line) => line.points);
  const xs = points.map((point) => point.x);
  const ys = points.map((point) => point.y);
  return {
    minX: Math.min(...xs),
    maxX: Math.max(...xs),
    minY: Math.min(...ys),
    maxY: Math.max(...ys),
    integer: ys.every((y) => Number.isInteger(y)),
  };
}

/**
 * A small SVG line chart that scales to its container's width. Shows a
 * message instead when no series has a point. The y-axis has round ticks
 * (whole numbers for whole-number data) and reserves room for its longest
 * label; the x-axis ends carry the date when the span is long.
 */
export function LineChart({
  label,
  series,
  width = 600,
  height = 160,
  unit = '',
  xRange,
}: LineChartProps) {
  const hasPoints = series.some((line) => line.points.length > 0);
  if (!hasPoints)
    return <p className="empty">No data for {label.toLowerCase()} yet.</p>;

  const data = bounds(series);
  const { minY, maxY, integer } = data;
  const minX = Math.min(data.minX, xRange?.[0] ?? Infinity);
  const maxX = Math.max(data.maxX, xRange?.[1] ?? -Infinity);
  const ticks = niceTicks(minY, maxY, { integer });
  const tickLabels = ticks.values.map((tick) => `${formatTick(tick)}${unit}`);
  const left = 8 + Math.max(...tickLabels.map(labelWidth));
  const innerWidth = width - left - PADDING.right;
  const innerHeight = height - PADDING.top - PADDING.bottom;
  const spanX = Math.max(1, maxX - minX);
  const spanY = ticks.max - ticks.min;
  const toX = (x: number) => left + ((x - minX) / spanX) * innerWidth;
  const toY = (y: number) =>
    PADDING.top + innerHeight - ((y - ticks.min) / spanY) * innerHeight;
  const time = timeLabels(minX, maxX);

  return (
    <figure className="chart">
      <figcaption>{label}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
        {ticks.values.map((tick, index) => (
          <g key={tick}>
            <line
              className="chart-grid"
              x1={left}
              x2={width - PADDING.right}
              y1={toY(tick)}
              y2={toY(tick)}
            />
            <text
              className="chart-axis"
              x={left - 6}
              y={toY(tick) + 4}
              textAnchor="end"
            >
              {tickLabels[index]}
            </text>
          </g>
        ))}
        {/* Points within one second: a single label, not the same twice. */}
        {time.start !== time.end && (
          <text className="chart-axis" x={left} y={height - 6}>
            {time.start}
          </text>
        )}
        <text
          className="chart-axis"
          x={width - PADDING.right}
          y={height - 6}
          textAnchor="end"
        >
          {time.end}
        </text>
        {series.map((line) =>
          line.points.length === 1 && line.points[0] ? (
            <circle
              key={line.name}
              cx={toX(line.points[0].x)}
              cy={toY(line.points[0].y)}
              r={3}
              fill={line.color}
            >
              <title>{line.name}</title>
            </circle>
          ) : (
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
          ),
        )}
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
