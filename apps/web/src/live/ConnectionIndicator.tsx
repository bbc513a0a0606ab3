import { useSyncExternalStore } from 'react';
import { liveStatus, onLiveStatus } from '../api/wsClient.ts';

const LABELS = {
  idle: 'Offline',
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
} as const;

/** Shows whether live updates are flowing (a dot and a word, announced politely). */
export function ConnectionIndicator() {
  const status = useSyncExternalStore(onLiveStatus, liveStatus);
  return (
    <span
      className={`connection connection-${status}`}
      role="status"
      aria-label={`Live updates: ${LABELS[status]}`}
    >
      <span className="dot" aria-hidden="true" />
      {LABELS[status]}
    </span>
  );
}
