import { useState, type FormEvent } from 'react';
import { formatCount, formatCountOf } from '../../components/format.ts';
import { useBulkTagging } from './useDevices.ts';

/** Adds or removes tags on every device the current query matches. */
export function BulkTagForm({ where }: { where: string }) {
  const [tagText, setTagText] = useState('');
  const tagging = useBulkTagging();
  const tags = tagText.split(/[\s,]+/).filter((tag) => tag !== '');

  const submit = (remove: boolean) => (event?: FormEvent) => {
    event?.preventDefault();
    tagging.mutate(
      { where, tags, remove },
      { onSuccess: () => setTagText('') },
    );
  };

  return (
    <form
      className="bulk-tag"
      onSubmit={submit(false)}
      aria-label="Bulk tagging"
    >
      <label htmlFor="bulk-tags">
        Tags for every device matching <code>{where}</code>
      </label>
      <input
        id="bulk-tags"
        value={tagText}
        onChange={(event) => setTagText(event.target.value)}
        placeholder="canary-eligible, line-3"
      />
      <button type="submit" disabled={tags.length === 0 || tagging.isPending}>
        Add tags
      </button>
      <button
        type="button"
        className="secondary"
        disabled={tags.length === 0 || tagging.isPending}
        onClick={() => submit(true)()}
      >
        Remove tags
      </button>
      {tagging.isError && (
        <span role="alert" className="error-text">
          {tagging.error.message}
        </span>
      )}
      {tagging.data && (
        <span role="status">
          Tags changed on {formatCount(tagging.data.affectedCount)} of{' '}
          {formatCountOf(tagging.data.matchedCount, 'device')}.
        </span>
      )}
    </form>
  );
}
