import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';

interface QueryStateProps<T> {
  query: UseQueryResult<T>;
  /** What is loading, for the status text ("devices"). */
  label: string;
  /** True when the data counts as empty. */
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}

/**
 * Renders a query's loading, error and empty states, and the children with
 * the data otherwise. Keeps showing stale data while a refetch runs.
 */
export function QueryState<T>({
  query,
  label,
  isEmpty,
  empty,
  children,
}: QueryStateProps<T>) {
  if (query.isPending) {
    return (
      <p role="status" className="muted">
        Loading {label}…
      </p>
    );
  }
  if (query.isError) {
    return (
      <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />
    );
  }
  if (isEmpty?.(query.data)) {
    return <p className="empty">{empty ?? `No ${label}.`}</p>;
  }

  return <>{children(query.data)}</>;
}

/** An error with its message and a retry button. */
export function ErrorMessage({
  error,
  onRetry,
}: {
  error: unknown;
  onRetry?: () => void;
}) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className="error-box">
      <span>{message}</span>
      {onRetry && (
        <button type="button" className="secondary" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
