import { QueryState } from '../../components/QueryState.tsx';
import { StateBadge } from '../../components/StateBadge.tsx';
import { formatTime } from '../../components/format.ts';
import { useStateTransitions } from './useDevice.ts';

/** The device's state changes, newest first, each with its cause and actor. */
export function StateTimeline({ deviceId }: { deviceId: string }) {
  const transitions = useStateTransitions(deviceId);
  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">State timeline</h2>
      <QueryState
        query={transitions}
        label="state changes"
        isEmpty={(data) => data.length === 0}
      >
        {(data) => (
          <ol className="timeline" aria-label="State changes">
            {data.map((transition) => (
              <li key={`${transition.at}-${transition.to}`}>
                <time dateTime={transition.at}>
                  {formatTime(transition.at)}
                </time>{' '}
                <StateBadge value={transition.from} /> →{' '}
                <StateBadge value={transition.to} />{' '}
                <span className="cause">{transition.cause.toLowerCase()}</span>{' '}
                <span className="muted small">
                  by {transition.actor}
                  {transition.reason ? `: ${transition.reason}` : ''}
                </span>
              </li>
            ))}
          </ol>
        )}
      </QueryState>
    </section>
  );
}
