import type { PreviewGroupQuery } from '../../api/generated.ts';
import { formatCount, formatCountOf } from '../../components/format.ts';

type Preview = PreviewGroupQuery['previewGroup'];

function IdList({ title, ids }: { title: string; ids: readonly string[] }) {
  return (
    <div>
      <h3>
        {title} ({formatCount(ids.length)})
      </h3>
      {ids.length === 0 ? (
        <p className="muted small">None</p>
      ) : (
        <ul className="id-list" aria-label={title}>
          {ids.slice(0, 20).map((id) => (
            <li key={id}>{id}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The membership a group query would have: count, sample, joining, leaving. */
export function GroupPreview({
  preview,
  isSaved,
}: {
  preview: Preview;
  isSaved: boolean;
}) {
  return (
    <section className="preview" aria-label="Membership preview">
      <p className="stat-inline" data-testid="preview-count">
        {formatCountOf(preview.count, 'device')} would be{' '}
        {preview.count === 1 ? 'a member' : 'members'}
      </p>
      <div className="preview-grid">
        <IdList
          title="Sample"
          ids={preview.sample.map((device) => device.id)}
        />
        {isSaved && <IdList title="Joining" ids={preview.joining} />}
        {isSaved && <IdList title="Leaving" ids={preview.leaving} />}
      </div>
    </section>
  );
}
