import { useId, useState, type FormEvent } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import {
  FieldError,
  fieldErrorAttributes,
} from '../../components/FieldError.tsx';
import { formatCount, formatCountOf } from '../../components/format.ts';
import {
  describeMatchConflict,
  matchConflict,
  type BulkTagWrite,
} from './bulkTagWrite.ts';
import { bulkTagProblem } from './bulkTagCheck.ts';
import { useBulkTagging } from './useDevices.ts';
import type { TypedQuery } from './useQueryInput.ts';

interface BulkTagFormProps {
  /** The query as typed and validated; null while it cannot be acted on. */
  target: TypedQuery | null;
  /** Why `target` is null, shown beside the disabled buttons. */
  pendingReason: string | null;
}

/**
 * Adds or removes tags on every device the typed query matches, after a
 * confirmation naming that exact query and its match count. Tags the API
 * would refuse (charset, registry-only tags, two values of one key) are
 * refused beside the field before any confirmation. The write
 * carries that count: when the match has changed since, the API writes
 * nothing, and the confirmation says so with the new count.
 */
export function BulkTagForm({ target, pendingReason }: BulkTagFormProps) {
  const [tagText, setTagText] = useState('');
  const [asking, setAsking] = useState<BulkTagWrite | null>(null);
  const [tagProblem, setTagProblem] = useState<string | null>(null);
  const tagging = useBulkTagging();
  const reasonId = useId();
  const problemId = useId();
  const tags = tagText.split(/[\s,]+/).filter((tag) => tag !== '');
  const isDisabled = target === null || tags.length === 0 || tagging.isPending;

  const ask = (remove: boolean) => (event?: FormEvent) => {
    event?.preventDefault();
    if (target === null || tags.length === 0) return;

    tagging.reset();
    const problem = bulkTagProblem(tags, remove);
    setTagProblem(problem);
    if (problem === null) setAsking({ ...target, tags, remove });
  };

  const write = (pending: BulkTagWrite) =>
    tagging.mutate(pending, {
      onSuccess: () => {
        setAsking(null);
        setTagText('');
      },
      onError: (error) => {
        // Asking again names the new count, and confirming sends it.
        const conflict = matchConflict(error);
        if (conflict) {
          setAsking({ ...pending, matchCount: conflict.actualCount });
        }
      },
    });
  const conflict = matchConflict(tagging.error);

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
          onChange={(event) => {
            setTagText(event.target.value);
            setTagProblem(null);
          }}
          placeholder="canary-eligible, line-3"
          {...fieldErrorAttributes(problemId, tagProblem)}
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
        <FieldError errorId={problemId} message={tagProblem} />
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
          error={
            conflict && asking
              ? describeMatchConflict(conflict, asking.remove)
              : tagging.error
          }
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
