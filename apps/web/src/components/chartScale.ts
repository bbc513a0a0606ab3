/** Axis arithmetic for LineChart: nice ticks, compact labels, time labels. */

/** Ticks from zero (or below, for negative data) to at least `max`. */
export interface Ticks {
  min: number;
  max: number;
  values: number[];
}

// 1, 2, 2.5 and 5 times a power of ten read as round numbers; 2.5 is left
// out for whole-number data, where it would make fractional ticks.
function niceStep(raw: number, integer: boolean): number {
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const normal = raw / magnitude;
  const factors =
    integer && magnitude < 10 ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  const factor = factors.find((f) => normal <= f) ?? 10;
  const step = factor * magnitude;
  return integer ? Math.max(1, Math.round(step)) : step;
}

/**
 * About `count` intervals of a round step covering [min(0, low), high];
 * whole-number steps when `integer` (counts).
 */
export function niceTicks(
  low: number,
  high: number,
  options: { count?: number; integer?: boolean } = {},
): Ticks {
  const count = options.count ?? 4;
  const integer = options.integer ?? false;
  const bottom = Math.min(0, low);
  const top = high > bottom ? high : bottom + 1;
  const step = niceStep((top - bottom) / count, integer);
  const first = Math.floor(bottom / step);
  const last = Math.ceil(top / step);
  const values: number[] = [];
  // Rounded so that 0.1 + 0.2 style drift never shows in a label.
  for (let i = first; i <= last; i += 1)
    values.push(Number((i * step).toPrecision(12)));
  return { min: values[0] ?? 0, max: values[values.length - 1] ?? 1, values };
}

const COMPACT = new Intl.NumberFormat('en-US', {
  notation: 'compact',
  maximumFractionDigits: 1,
});

/** A tick label: "36K", "1.5M" from a thousand up, else the plain number. */
export function formatTick(value: number): string {
  if (Math.abs(value) >= 1000) return COMPACT.format(value);

  return String(Number(value.toPrecision(6)));
}

/** Drawing units a label takes at the chart's 11 px axis font. */
export function labelWidth(text: string): number {
  return Math.ceil(text.length * 6.6);
}

const HOUR = 3_600_000;

/**
 * The x-axis labels of a time span: with the date when the span is long
 * or crosses midnight, with seconds when it is short, so that the two
 * ends never read alike.
 */
export function timeLabels(
  minX: number,
  maxX: number,
  locale?: string,
): { start: string; end: string } {
  const start = new Date(minX);
  const end = new Date(maxX);
  const withDate =
    maxX - minX >= 12 * HOUR || start.toDateString() !== end.toDateString();
  // Seconds too for spans under an hour (a few heartbeats), so the ends
  // of a short chart do not both read "03:30 PM".
  const options: Intl.DateTimeFormatOptions = withDate
    ? { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }
    : maxX - minX < HOUR
      ? { hour: '2-digit', minute: '2-digit', second: '2-digit' }
      : { hour: '2-digit', minute: '2-digit' };
  return {
    start: start.toLocaleString(locale, options),
    end: end.toLocaleString(locale, options),
  };
}
