import { useState } from 'react';
import { OFFLINE_TIERS } from '@rollcall/fleet';
import type { TierDevice } from '../../api/documents/escalation.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { StateBadge } from '../../components/StateBadge.tsx';
import {
  formatAge,
  formatCount,
  formatCountOf,
  formatDuration,
} from '../../components/format.ts';
import { useNow } from '../../components/useNow.ts';
import { Link } from '../../router/Link.tsx';
import {
  TIER_PAGE_SIZE,
  useTierDevices,
  type EscalationGroup,
} from './useTierDevices.ts';

// Every offline device is in one section, so that the sections add up to
// the fleet's offline count.
const SECTIONS: readonly EscalationGroup[] = ['untiered', ...OFFLINE_TIERS];

/** The title of a section, as its heading and table name show it. */
function sectionTitle(group: EscalationGroup): string {
  return group === 'untiered'
    ? 'offline, no tier yet'
    : group.replace('_', ' ');
}

/** Offline devices per escalation tier, the longest silent first. */
export function EscalationView() {
  return (
    <section aria-labelledby="escalation-title">
      <h1 id="escalation-title">Offline escalation</h1>
      {SECTIONS.map((group) => (
        <TierSection key={group} tier={group} />
      ))}
    </section>
  );
}

function TierSection({ tier }: { tier: EscalationGroup }) {
  // Cursors of the pages shown so far; the last one is the current page.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const query = useTierDevices(tier, cursors[cursors.length - 1] ?? null);
  const title = sectionTitle(tier);
  const first = (cursors.length - 1) * TIER_PAGE_SIZE + 1;

  return (
    <section id={tier} className="tier" aria-labelledby={`tier-${tier}`}>
      <h2 id={`tier-${tier}`}>
        {tier !== 'untiered' && (
          <>
            <StateBadge value={tier} />{' '}
          </>
        )}
        {title}
        {query.data && (
          <span className="muted">
            {' '}
            — {formatCountOf(query.data.totalCount, 'device')}
          </span>
        )}
      </h2>
      <QueryState
        query={query}
        label={`${title} devices`}
        isEmpty={(data) => data.devices.length === 0}
        empty={`No devices in ${title}.`}
      >
        {(data) => (
          <div className="table-wrap">
            <TierTable title={title} devices={data.devices} />
            {(cursors.length > 1 || data.pageInfo.hasNextPage) && (
              <nav className="pager" aria-label={`${title} pages`}>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setCursors(cursors.slice(0, -1))}
                  disabled={cursors.length === 1}
                >
                  Previous
                </button>
                <span>
                  {formatCount(first)}–
                  {formatCount(first + data.devices.length - 1)} of{' '}
                  {formatCount(data.totalCount)}
                </span>
                <button
                  type="button"
                  className="secondary"
                  onClick={() =>
                    setCursors([...cursors, data.pageInfo.endCursor])
                  }
                  disabled={!data.pageInfo.hasNextPage}
                >
                  Next
                </button>
              </nav>
            )}
          </div>
        )}
      </QueryState>
    </section>
  );
}

function TierTable({
  title,
  devices,
}: {
  title: string;
  devices: readonly TierDevice[];
}) {
  const now = useNow();
  return (
    <table aria-label={`Devices in ${title}`}>
      <thead>
        <tr>
          <th scope="col">Device</th>
          <th scope="col">Offline for</th>
          <th scope="col">Last known state</th>
          <th scope="col">Last heartbeat</th>
        </tr>
      </thead>
      <tbody>
        {devices.map((device) => (
          <tr key={device.id}>
            <td>
              <Link to={`/devices/${encodeURIComponent(device.id)}`}>
                {device.id}
              </Link>
            </td>
            <td>
              {device.status.offlineSince
                ? formatDuration(now - Date.parse(device.status.offlineSince))
                : '—'}
            </td>
            <td>
              <StateBadge value={device.status.lastKnownState} />
            </td>
            <td>{formatAge(device.status.lastHeartbeat, now)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
