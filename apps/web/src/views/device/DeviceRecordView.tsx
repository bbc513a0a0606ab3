import { Fragment } from 'react';
import { formatTime } from '../../components/format.ts';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function label(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value))
    return value.length === 0 ? '—' : value.map(formatValue).join(', ');
  if (typeof value === 'string' && ISO_TIME.test(value))
    return formatTime(value);
  if (isTag(value))
    return value.value ? `${value.key}=${value.value}` : value.key;
  if (typeof value === 'object') return JSON.stringify(value);

  return String(value);
}

function isTag(value: unknown): value is { key: string; value: string } {
  return typeof value === 'object' && value !== null && 'key' in value;
}

function isSection(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The whole record as the API returns it: top-level values first, then one
 * list per section (hardware, software, deployment, status, metadata).
 */
export function DeviceRecordView({
  record,
}: {
  record: Record<string, unknown>;
}) {
  const entries = Object.entries(record).filter(
    ([key]) => key !== '__typename',
  );
  const plain = entries.filter(
    ([key, value]) => !isSection(value) || key === 'metrics',
  );
  const sections = entries.filter(
    ([key, value]) => isSection(value) && key !== 'metrics',
  );

  return (
    <div className="record" aria-label="Device record">
      <RecordList title="identity" entries={plain} />
      {sections.map(([key, value]) => (
        <RecordList
          key={key}
          title={key}
          entries={Object.entries(value as Record<string, unknown>)}
        />
      ))}
    </div>
  );
}

function RecordList({
  title,
  entries,
}: {
  title: string;
  entries: [string, unknown][];
}) {
  return (
    <section className="card">
      <h2>{label(title)}</h2>
      <dl>
        {entries.map(([key, value]) => (
          <Fragment key={key}>
            <dt>{label(key)}</dt>
            <dd>{formatValue(value)}</dd>
          </Fragment>
        ))}
      </dl>
    </section>
  );
}
