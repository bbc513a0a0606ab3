import { useId, useState, type FormEvent } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { formatCount, formatCountOf } from '../../components/format.ts';
import { useBulkTagging } from './useDevices.ts';
import type { TypedQuery } from './useQueryInput.ts';

interface BulkTagFormProps {
  /** The query as typed and validated; null while it cannot be acted on. */
  target: TypedQuery | null;
  /** Why `target` is null, shown beside the disabled buttons. */
  pendingReason: string | null;
}

/** A write waiting for its confirmation, fixed when it was asked for. */
interface PendingWrite extends TypedQuery {
  tags: string[];
  remove: boolean;
}

/**
 * Adds or removes tags on every device the typed query matches, after a
 * confirmation naming that exact query and its match count.
 */
export function BulkTagForm({ target, pendingReason }: BulkTagFormProps) {
  const [tagText, setTagText] = useState('');
  const [asking, setAsking] = useState<PendingWrite | null>(null);
  const tagging = useBulkTagging();
  const reasonId = useId();
  const tags = tagText.split(/[\s,]+/).filter((tag) => tag !== '');
  const isDisabled = target === null || tags.length === 0 || tagging.isPending;

  const ask = (remove: boolean) => (event?: FormEvent) => {
    event?.preventDefault();
    if (target === null || tags.length === 0) return;

    tagging.reset();
    setAsking({ ...target, tags, remove });
  };

  const write = (pending: PendingWrite) =>
    tagging.mutate(
      { where: pending.query, tags: pending.tags, remove: pending.remove },
      {
        onSuccess: () => {
          setAsking(null);
          setTagText('');
        },
      },
    );

  // The dialog stays outside the form: its own form's submit would bubble.
  return (
    <>
      <form
        className="bulk-tag"
        onSubmit={ask(false)}
        aria-label="Bulk tagging"
      >
        <label htmlFor="bulk-tags">
          Tags for every device matching <code>{target?.query ?? '…'}</code>
        </label>
        <input
          id="bulk-tags"
          value={tagText}
          onChange={(event) => setTagText(event.target.value)}
          placeholder="canary-eligible, line-3"
        />
        <button
          type="submit"
          disabled={isDisabled}
          aria-describedby={pendingReason ? reasonId : undefined}
        >
          Add tags
        </button>
        <button
          type="button"
          className="secondary"
          disabled={isDisabled}
          aria-describedby={pendingReason ? reasonId : undefined}
          onClick={() => ask(true)()}
        >
          Remove tags
        </button>
        {pendingReason && (
          <span id={reasonId} className="muted small" data-testid="bulk-reason">
            {pendingReason}
          </span>
        )}
        {tagging.data && (
          <span role="status">
            Tags changed on {formatCount(tagging.data.affectedCount)} of{' '}
            {formatCountOf(tagging.data.matchedCount, 'device')}.
          </span>
        )}
      </form>
      {asking && (
        <ConfirmDialog
          title={`${asking.remove ? 'Remove' : 'Add'} ${asking.tags.join(', ')}?`}
          confirmLabel={asking.remove ? 'Remove tags' : 'Add tags'}
          pending={tagging.isPending}
          error={tagging.error}
          onCancel={() => setAsking(null)}
          onConfirm={() => write(asking)}
        >
          <p data-testid="bulk-confirmation">
            {asking.remove ? 'Removes them from' : 'Adds them to'}{' '}
            {formatCountOf(asking.matchCount, 'device')} matching{' '}
            <code>{asking.query}</code>.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
