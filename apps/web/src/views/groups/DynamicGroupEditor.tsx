import { useId, useMemo, useState, type FormEvent } from 'react';
import type { GroupSummary } from '../../api/documents/groups.ts';
import {
  FieldError,
  fieldErrorAttributes,
} from '../../components/FieldError.tsx';
import { ErrorMessage } from '../../components/QueryState.tsx';
import { useDebounced } from '../../components/useDebounced.ts';
import { localSyntaxError } from '../../query/localCheck.ts';
import { QueryBox } from '../../query/QueryBox.tsx';
import { normalizeLineBreaks } from '../../query/queryBoxLogic.ts';
import { queryErrorOf } from '../../query/queryErrorOf.ts';
import { buildVocabulary } from '../../query/vocabulary.ts';
import { useTags } from '../devices/useDevices.ts';
import { GroupPreview } from './GroupPreview.tsx';
import { groupWriteErrorOf } from './groupWriteError.ts';
import { useGroupNames, useGroupWrite, usePreviewGroup } from './useGroups.ts';

/**
 * Creates or edits a dynamic group. The preview (count, sample, joining and
 * leaving) is shown before saving, and saving waits for it. Query errors,
 * the browser's syntax check or the preview's, show in the query box.
 */
export function DynamicGroupEditor({
  group,
  onDone,
}: {
  group: GroupSummary | null;
  onDone(): void;
}) {
  const [name, setName] = useState(group?.name ?? '');
  const [description, setDescription] = useState(group?.description ?? '');
  // Saved through the API, a query may hold CRLF line breaks; the box
  // shows them as LF, and its error offsets count what it shows.
  const [query, setQuery] = useState(() =>
    normalizeLineBreaks(group?.query ?? ''),
  );
  const debounced = useDebounced(query, 300);
  const preview = usePreviewGroup(debounced, group?.name ?? null);
  const write = useGroupWrite();
  const tags = useTags();
  const groups = useGroupNames();
  const vocabulary = useMemo(
    () => buildVocabulary(tags.data ?? [], groups.data ?? []),
    [tags.data, groups.data],
  );
  const localError = useMemo(() => localSyntaxError(query), [query]);
  // The preview validates as saving would (fields, states, groups), so its
  // error joins the box's own; only while the box still holds that text.
  const previewQueryError = preview.isError
    ? queryErrorOf(preview.error)
    : null;
  const queryError =
    localError ?? (debounced === query ? previewQueryError : null);
  const isPreviewCurrent =
    preview.isSuccess && !preview.isPlaceholderData && debounced === query;
  const formId = useId();
  // A new group's taken name (or refused name) shows beside the name, as
  // in the static group form; every other refusal under the form.
  const failure = write.isError ? groupWriteErrorOf(write.error) : null;
  const nameError =
    group === null && failure?.field === 'name' ? failure.message : null;
  const nameErrorId = `${formId}-name-error`;

  const save = (event: FormEvent) => {
    event.preventDefault();
    const fields = { description: description || null, query };
    if (group)
      write.mutate(
        { kind: 'update', name: group.name, input: fields },
        { onSuccess: onDone },
      );
    else
      write.mutate(
        { kind: 'create', input: { ...fields, name, membership: 'DYNAMIC' } },
        { onSuccess: onDone },
      );
  };

  return (
    <form
      className="card editor"
      onSubmit={save}
      aria-label={group ? `Edit group ${group.name}` : 'New dynamic group'}
    >
      <h2>{group ? `Edit ${group.name}` : 'New dynamic group'}</h2>
      <label htmlFor={`${formId}-name`}>Name</label>
      <input
        id={`${formId}-name`}
        value={name}
        onChange={(event) => {
          setName(event.target.value);
          write.reset();
        }}
        {...fieldErrorAttributes(nameErrorId, nameError)}
        required
      />
      <FieldError errorId={nameErrorId} message={nameError} />
      <label htmlFor={`${formId}-description`}>Description</label>
      <input
        id={`${formId}-description`}
        value={description}
        onChange={(event) => setDescription(event.target.value)}
      />
      <QueryBox
        label="Group query"
        value={query}
        onChange={setQuery}
        onSubmit={() => undefined}
        vocabulary={vocabulary}
        error={queryError}
      />
      {preview.isError && previewQueryError === null && (
        <ErrorMessage error={preview.error} />
      )}
      {preview.isFetching && !isPreviewCurrent && (
        <p role="status" className="muted">
          Previewing…
        </p>
      )}
      {preview.data && (
        <GroupPreview preview={preview.data} isSaved={group !== null} />
      )}
      {write.isError && nameError === null && (
        <ErrorMessage error={write.error} />
      )}
      <div className="button-row">
        <button
          type="submit"
          disabled={!isPreviewCurrent || write.isPending || name.trim() === ''}
        >
          Save group
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
