import { useState } from 'react';
import type { GroupSummary } from '../../api/documents/groups.ts';
import { useCan } from '../../auth/AuthContext.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { formatCount } from '../../components/format.ts';
import { Link } from '../../router/Link.tsx';
import { DynamicGroupEditor } from './DynamicGroupEditor.tsx';
import { StaticMembersEditor } from './StaticMembersEditor.tsx';
import { useGroups, useGroupsLive } from './useGroups.ts';

type Editing = { mode: 'new' } | { mode: 'edit'; group: GroupSummary } | null;

/** Groups with member counts; dynamic groups edit with a preview, static ones by member. */
export function GroupsView() {
  const groups = useGroups();
  const canWrite = useCan('operator');
  const [editing, setEditing] = useState<Editing>(null);
  useGroupsLive(groups.data?.map((group) => group.name) ?? []);

  return (
    <section aria-labelledby="groups-title">
      <div className="title-row">
        <h1 id="groups-title">Groups</h1>
        {canWrite && (
          <button type="button" onClick={() => setEditing({ mode: 'new' })}>
            New dynamic group
          </button>
        )}
      </div>
      {editing && (
        <EditorFor editing={editing} onDone={() => setEditing(null)} />
      )}
      <QueryState
        query={groups}
        label="groups"
        isEmpty={(data) => data.length === 0}
        empty="No groups yet."
      >
        {(data) => (
          <div className="table-wrap">
            <table aria-label="Groups">
              <thead>
                <tr>
                  <th scope="col">Group</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Query</th>
                  <th scope="col">Members</th>
                  {canWrite && <th scope="col">Actions</th>}
                </tr>
              </thead>
              <tbody>
                {data.map((group) => (
                  <tr key={group.id}>
                    <td>
                      <Link
                        to={`/devices?q=${encodeURIComponent(`group:${group.name}`)}`}
                      >
                        {group.name}
                      </Link>
                      {group.description && (
                        <div className="muted small">{group.description}</div>
                      )}
                    </td>
                    <td>{group.membership.toLowerCase()}</td>
                    <td>
                      <code>{group.query ?? '—'}</code>
                    </td>
                    <td>{formatCount(group.memberCount)}</td>
                    {canWrite && (
                      <td>
                        <button
                          type="button"
                          className="secondary"
                          onClick={() => setEditing({ mode: 'edit', group })}
                        >
                          Edit {group.name}
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
    </section>
  );
}

function EditorFor({
  editing,
  onDone,
}: {
  editing: NonNullable<Editing>;
  onDone(): void;
}) {
  if (editing.mode === 'new')
    return <DynamicGroupEditor group={null} onDone={onDone} />;
  if (editing.group.membership === 'DYNAMIC') {
    return (
      <DynamicGroupEditor
        key={editing.group.id}
        group={editing.group}
        onDone={onDone}
      />
    );
  }

  return (
    <StaticMembersEditor
      key={editing.group.id}
      group={editing.group}
      onDone={onDone}
    />
  );
}
