import { Fragment, type ReactNode } from 'react';
import { formatTime } from '../../components/format.ts';
import { fieldLabel } from '../../components/labels.ts';
import { Link } from '../../router/Link.tsx';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

// Section titles as the record names them.
const SECTION_TITLES: Record<string, string> = {
  identity: 'Identity',
  hardware: 'Hardware',
  software: 'Software',
  deployment: 'Deployment',
  status: 'Status',
  metadata: 'Metadata',
};

type Tag = { key: string; value: string | null };

function isTag(value: unknown): value is Tag {
  return typeof value === 'object' && value !== null && 'key' in value;
}

function isSection(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Fields holding a GraphQL enum (upper case): shown as lower-case words.
const ENUM_FIELDS = new Set([
  'state',
  'lastKnownState',
  'offlineTier',
  'reportedStatus',
  'connectivity',
]);

function formatScalar(value: unknown, key = ''): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return value.toLocaleString('en-US');
  if (typeof value === 'string' && ISO_TIME.test(value))
    return formatTime(value);
  if (typeof value === 'string' && ENUM_FIELDS.has(key))
    return value.toLowerCase().replace(/_/g, ' ');

  return String(value);
}

function Chips({
  items,
  label,
}: {
  items: readonly ReactNode[];
  label: string;
}) {
  return (
    <ul className="chips" aria-label={label}>
      {items.map((item, index) => (
        <li key={index} className="chip">
          {item}
        </li>
      ))}
    </ul>
  );
}

function renderValue(key: string, value: unknown): ReactNode {
  if (key === 'tags' && Array.isArray(value)) {
    if (value.length === 0) return '—';
    return (
      <Chips
        label="Tags"
        items={value
          .filter(isTag)
          .map((tag) => (tag.value ? `${tag.key}=${tag.value}` : tag.key))}
      />
    );
  }
  if (key === 'groups' && Array.isArray(value)) {
    if (value.length === 0) return '—';
    return (
      <Chips
        label="Groups"
        items={value.map((name) => (
          <Link to={`/devices?q=${encodeURIComponent(`group:${name}`)}`}>
            {String(name)}
          </Link>
        ))}
      />
    );
  }
  if (Array.isArray(value))
    return value.length === 0
      ? '—'
      : value.map((item) => formatScalar(item)).join(', ');
  if (isSection(value)) return <ValueList entries={Object.entries(value)} />;

  return formatScalar(value, key);
}

/**
 * The whole record as the API returns it: top-level values first, then one
 * list per section (hardware, software, deployment, status, metadata);
 * nested blocks (the metrics) as their own labelled list.
 */
export function DeviceRecordView({
  record,
}: {
  record: Record<string, unknown>;
}) {
  const entries = Object.entries(record).filter(
    ([key]) => key !== '__typename',
  );
  const plain = entries.filter(([, value]) => !isSection(value));
  const sections = entries.filter(([, value]) => isSection(value));

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

function ValueList({ entries }: { entries: [string, unknown][] }) {
  if (entries.length === 0) return <>—</>;

  return (
    <dl>
      {entries.map(([key, value]) => (
        <Fragment key={key}>
          <dt>{fieldLabel(key)}</dt>
          <dd>{renderValue(key, value)}</dd>
        </Fragment>
      ))}
    </dl>
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
      <h2>{SECTION_TITLES[title] ?? fieldLabel(title)}</h2>
      <ValueList entries={entries} />
    </section>
  );
}
