/** A device state or offline tier as a coloured badge (upper-case enum in). */
export function StateBadge({ value }: { value: string | null | undefined }) {
  if (!value) return <span className="muted">—</span>;

  const name = value.toLowerCase();
  return (
    <span className={`badge badge-${name}`}>{name.replace('_', ' ')}</span>
  );
}
