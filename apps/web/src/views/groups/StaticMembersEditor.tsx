import { useState, type FormEvent } from 'react';
import type { GroupSummary } from '../../api/documents/groups.ts';
import { ErrorMessage, QueryState } from '../../components/QueryState.tsx';
import { parseDeviceIds } from './deviceIdList.ts';
import { useGroupMembers, useGroupWrite } from './useGroups.ts';

/** Adds and removes the explicit members of a static group. */
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
          onChange={(event) => setIdText(event.target.value)}
        />
        <button type="submit" disabled={ids.length === 0 || write.isPending}>
          Add members
        </button>
      </form>
      {write.isError && <ErrorMessage error={write.error} />}
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
