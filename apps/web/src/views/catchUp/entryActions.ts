/** An operator action on one catch-up entry. */
export type CatchUpAction = 'retry' | 'skip' | 'remove';

/** Button text of each action. */
export const ACTION_LABELS: Record<CatchUpAction, string> = {
  retry: 'Retry now',
  skip: 'Skip',
  remove: 'Remove',
};

/**
 * The actions the API accepts for an entry in `status` (catchUpActions.ts):
 * retry a pending entry or one in investigation; skip or remove any open
 * entry. A closed entry (completed, superseded, skipped, removed,
 * cancelled) takes none.
 */
export function actionsFor(status: string): CatchUpAction[] {
  switch (status.toLowerCase()) {
    case 'pending':
    case 'investigation':
      return ['retry', 'skip', 'remove'];
    case 'delivering':
      return ['skip', 'remove'];
    default:
      return [];
  }
}
