import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { ErrorMessage } from './QueryState.tsx';

interface ConfirmDialogProps {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  /** Red confirm button, for what cannot be undone. */
  danger?: boolean;
  /** Offers an optional free-text reason, passed to `onConfirm`. */
  withReason?: boolean;
  pending?: boolean;
  /** The last attempt's failure, shown in the dialog so it can be retried. */
  error?: unknown;
  onConfirm(reason: string | null): void;
  onCancel(): void;
}

/**
 * A modal confirmation (the native <dialog>: focus trapped, Escape
 * cancels) with an optional reason field. Mount it to open it; the
 * parent unmounts it on cancel or success.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  danger = false,
  withReason = false,
  pending = false,
  error,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [reason, setReason] = useState('');

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          onConfirm(reason.trim() === '' ? null : reason.trim());
        }}
      >
        <h2 id={`${id}-title`}>{title}</h2>
        {children}
        {withReason && (
          <>
            <label htmlFor={`${id}-reason`}>Reason (optional)</label>
            <textarea
              id={`${id}-reason`}
              rows={2}
              value={reason}
              onChange={(event) => setReason(event.target.value)}
            />
          </>
        )}
        {error !== undefined && error !== null && (
          <ErrorMessage error={error} />
        )}
        <div className="button-row dialog-buttons">
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
          <button
            type="submit"
            className={danger ? 'danger' : undefined}
            disabled={pending}
          >
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
