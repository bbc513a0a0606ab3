import { useState } from 'react';
import type { GroupSummary } from '../../api/documents/groups.ts';
import type { GroupMembership } from '../../api/generated.ts';
import { useCan } from '../../auth/AuthContext.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { formatCount } from '../../components/format.ts';
import { Link } from '../../router/Link.tsx';
import { DynamicGroupEditor } from './DynamicGroupEditor.tsx';
import { StaticGroupCreator } from './StaticGroupCreator.tsx';
import { StaticMembersEditor } from './StaticMembersEditor.tsx';
import { useDeleteGroup, useGroups, useGroupsLive } from './useGroups.ts';

type Editing =
  | { mode: 'new'; membership: GroupMembership }
  | { mode: 'edit'; group: GroupSummary }
  | null;

/**
 * Groups with member counts. Operators create dynamic groups (a query,
 * previewed) and static ones (a list of ids), and edit each kind its way.
 */
export function GroupsView() {
  const groups = useGroups();
  const canWrite = useCan('operator');
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  useGroupsLive(groups.data?.map((group) => group.name) ?? []);

  return (
    <section aria-labelledby="groups-title">
      <div className="title-row">
        <h1 id="groups-title">Groups</h1>
        {canWrite && (
          <div className="button-row">
            <button
              type="button"
              onClick={() => setEditing({ mode: 'new', membership: 'DYNAMIC' })}
            >
              New dynamic group
            </button>
            <button
              type="button"
              onClick={() => setEditing({ mode: 'new', membership: 'STATIC' })}
            >
              New static group
            </button>
          </div>
        )}
      </div>
      {editing && (
        <EditorFor editing={editing} onDone={() => setEditing(null)} />
      )}
      {deleting !== null && (
        <DeleteGroupDialog name={deleting} onDone={() => setDeleting(null)} />
      )}
      <QueryState
        query={groups}
        label="groups"
        isEmpty={(data) => data.length === 0}
        empty="No groups yet."
      >
        {(data) => (
          <div className="table-wrap">
            <table aria-label="Groups" className="stack-narrow">
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
                    <td data-label="Group">
                      <Link
                        to={`/devices?q=${encodeURIComponent(`group:${group.name}`)}`}
                      >
                        {group.name}
                      </Link>
                      {group.description && (
                        <div className="muted small">{group.description}</div>
                      )}
                    </td>
                    <td data-label="Kind">{group.membership.toLowerCase()}</td>
                    <td data-label="Query">
                      <code>{group.query ?? '—'}</code>
                    </td>
                    <td data-label="Members">
                      {formatCount(group.memberCount)}
                    </td>
                    {canWrite && (
                      <td data-label="Actions">
                        <div className="button-row">
                          <button
                            type="button"
                            className="secondary"
                            onClick={() => setEditing({ mode: 'edit', group })}
                          >
                            Edit {group.name}
                          </button>
                          <button
                            type="button"
                            className="secondary danger-text"
                            onClick={() => setDeleting(group.name)}
                          >
                            Delete {group.name}
                          </button>
                        </div>
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

function DeleteGroupDialog({ name, onDone }: { name: string; onDone(): void }) {
  const remove = useDeleteGroup();
  return (
    <ConfirmDialog
      title={`Delete group ${name}?`}
      confirmLabel="Delete group"
      danger
      pending={remove.isPending}
      error={remove.error}
      onCancel={onDone}
      onConfirm={() => remove.mutate(name, { onSuccess: onDone })}
    >
      <p>
        The devices stay registered with their tags. A group that another
        group&apos;s query uses cannot be deleted until that query changes.
      </p>
    </ConfirmDialog>
  );
}

function EditorFor({
  editing,
  onDone,
}: {
  editing: NonNullable<Editing>;
  onDone(): void;
}) {
  if (editing.mode === 'new') {
    return editing.membership === 'STATIC' ? (
      <StaticGroupCreator key="new-static" onDone={onDone} />
    ) : (
      <DynamicGroupEditor key="new-dynamic" group={null} onDone={onDone} />
    );
  }
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
