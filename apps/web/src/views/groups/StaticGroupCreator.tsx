import { useId, useState, type ChangeEvent, type FormEvent } from 'react';
import {
  FieldError,
  fieldErrorAttributes,
} from '../../components/FieldError.tsx';
import { ErrorMessage } from '../../components/QueryState.tsx';
import { parseDeviceIds } from './deviceIdList.ts';
import { groupWriteErrorOf, type GroupField } from './groupWriteError.ts';
import { useGroupWrite } from './useGroups.ts';

/**
 * Creates a static group: its name, description and first members. The
 * API's refusal is shown beside the field it is about (a taken name, ids
 * of devices that do not exist), or under the form otherwise.
 */
export function StaticGroupCreator({ onDone }: { onDone(): void }) {
  const formId = useId();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [idText, setIdText] = useState('');
  const write = useGroupWrite();
  const deviceIds = parseDeviceIds(idText);
  const failure = write.isError ? groupWriteErrorOf(write.error) : null;
  const idOf = (field: GroupField) => `${formId}-${field}`;
  const errorIdOf = (field: GroupField) => `${formId}-${field}-error`;

  // An edited field no longer shows the refusal of what it held.
  const editing =
    (set: (value: string) => void) =>
    (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      set(event.target.value);
      write.reset();
    };

  const messageOf = (field: GroupField) =>
    failure?.field === field ? failure.message : null;

  const fieldState = (field: GroupField) => ({
    id: idOf(field),
    ...fieldErrorAttributes(errorIdOf(field), messageOf(field)),
  });

  const fieldError = (field: GroupField) => (
    <FieldError errorId={errorIdOf(field)} message={messageOf(field)} />
  );

  const create = (event: FormEvent) => {
    event.preventDefault();
    write.mutate(
      {
        kind: 'create',
        input: {
          name: name.trim(),
          description: description.trim() || null,
          membership: 'STATIC',
          devices: deviceIds,
        },
      },
      { onSuccess: onDone },
    );
  };

  return (
    <form
      className="card editor"
      onSubmit={create}
      aria-label="New static group"
    >
      <h2>New static group</h2>
      <label htmlFor={idOf('name')}>Name</label>
      <input
        {...fieldState('name')}
        value={name}
        onChange={editing(setName)}
        required
      />
      {fieldError('name')}
      <label htmlFor={idOf('description')}>Description</label>
      <input
        {...fieldState('description')}
        value={description}
        onChange={editing(setDescription)}
      />
      {fieldError('description')}
      <label htmlFor={idOf('devices')}>Member device ids</label>
      <textarea
        {...fieldState('devices')}
        rows={3}
        value={idText}
        spellCheck={false}
        placeholder="edge-jetson-prod-001, edge-gateway-prod-001"
        onChange={editing(setIdText)}
      />
      {fieldError('devices')}
      <p className="muted small">
        Separated by spaces, commas or new lines; members can be added and
        removed later.
      </p>
      {failure?.field === null && <ErrorMessage error={write.error} />}
      <div className="button-row">
        <button type="submit" disabled={write.isPending || name.trim() === ''}>
          Create group
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
