import { useId, useState, type FormEvent } from 'react';
import type { GroupSummary } from '../../api/documents/groups.ts';
import {
  FieldError,
  fieldErrorAttributes,
} from '../../components/FieldError.tsx';
import { ErrorMessage, QueryState } from '../../components/QueryState.tsx';
import { parseDeviceIds } from './deviceIdList.ts';
import { groupWriteErrorOf } from './groupWriteError.ts';
import { useGroupMembers, useGroupWrite } from './useGroups.ts';

/**
 * Adds and removes the explicit members of a static group. The API's
 * refusal is read by its code, as in the group forms: one about the ids
 * (devices that do not exist or are decommissioned, a refused list) shows
 * beside the ids, anything else (FORBIDDEN, network) under the form.
 */
export function StaticMembersEditor({
  group,
  onDone,
}: {
  group: GroupSummary;
  onDone(): void;
}) {
  const members = useGroupMembers(group.name);
  const write = useGroupWrite();
  const [idText, setIdText] = useState('');
  const ids = parseDeviceIds(idText);
  const errorId = useId();
  const failure = write.isError ? groupWriteErrorOf(write.error) : null;
  const idsError = failure?.field === 'devices' ? failure.message : null;

  const add = (event: FormEvent) => {
    event.preventDefault();
    write.mutate(
      { kind: 'addMembers', name: group.name, deviceIds: ids },
      { onSuccess: () => setIdText('') },
    );
  };

  return (
    <section className="card editor" aria-label={`Members of ${group.name}`}>
      <h2>Members of {group.name}</h2>
      <form onSubmit={add} className="inline-form">
        <label htmlFor="member-ids">Device ids to add</label>
        <input
          id="member-ids"
          value={idText}
          onChange={(event) => {
            setIdText(event.target.value);
            write.reset();
          }}
          {...fieldErrorAttributes(errorId, idsError)}
        />
        <button type="submit" disabled={ids.length === 0 || write.isPending}>
          Add members
        </button>
        <FieldError errorId={errorId} message={idsError} />
      </form>
      {failure !== null && idsError === null && (
        <ErrorMessage error={write.error} />
      )}
      <QueryState
        query={members}
        label="members"
        isEmpty={(data) => data.length === 0}
        empty="This group has no members."
      >
        {(data) => (
          <ul className="id-list" aria-label="Members">
            {data.map((id) => (
              <li key={id}>
                {id}{' '}
                <button
                  type="button"
                  className="link-button"
                  aria-label={`Remove ${id}`}
                  onClick={() =>
                    write.mutate({
                      kind: 'removeMembers',
                      name: group.name,
                      deviceIds: [id],
                    })
                  }
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
      <button type="button" className="secondary" onClick={onDone}>
        Close
      </button>
    </section>
  );
}
