import { useQuery } from '@tanstack/react-query';
import { OFFLINE_TIERS, type OfflineTier } from '@rollcall/fleet';
import {
  TIER_DEVICES,
  type TierDevicesData,
} from '../../api/documents/escalation.ts';
import { graphqlRequest } from '../../api/graphqlClient.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { StateBadge } from '../../components/StateBadge.tsx';
import {
  formatAge,
  formatCount,
  formatDuration,
} from '../../components/format.ts';
import { useNow } from '../../components/useNow.ts';
import { Link } from '../../router/Link.tsx';

const TIER_LIMIT = 100;

function useTierDevices(tier: OfflineTier) {
  return useQuery({
    queryKey: ['escalation', tier],
    queryFn: () =>
      graphqlRequest<TierDevicesData>(TIER_DEVICES, {
        where: `tier:${tier}`,
        first: TIER_LIMIT,
      }),
    select: (data) => ({
      totalCount: data.devices.totalCount,
      // TODO(#7): ask the API for offline-since order so that tiers longer
      // than one page are oldest first across pages, not only within it.
      devices: data.devices.edges
        .map((edge) => edge.node)
        .sort(
          (a, b) =>
            Date.parse(a.status.offlineSince ?? '') -
            Date.parse(b.status.offlineSince ?? ''),
        ),
    }),
  });
}

/** Offline devices per escalation tier, the longest silent first. */
export function EscalationView() {
  return (
    <section aria-labelledby="escalation-title">
      <h1 id="escalation-title">Offline escalation</h1>
      {OFFLINE_TIERS.map((tier) => (
        <TierSection key={tier} tier={tier} />
      ))}
    </section>
  );
}

function TierSection({ tier }: { tier: OfflineTier }) {
  const query = useTierDevices(tier);
  const now = useNow();
  const title = tier.replace('_', ' ');

  return (
    <section id={tier} className="tier" aria-labelledby={`tier-${tier}`}>
      <h2 id={`tier-${tier}`}>
        <StateBadge value={tier} /> {title}
        {query.data && (
          <span className="muted">
            {' '}
            — {formatCount(query.data.totalCount)} devices
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
                {data.devices.map((device) => (
                  <tr key={device.id}>
                    <td>
                      <Link to={`/devices/${encodeURIComponent(device.id)}`}>
                        {device.id}
                      </Link>
                    </td>
                    <td>
                      {device.status.offlineSince
                        ? formatDuration(
                            now - Date.parse(device.status.offlineSince),
                          )
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
          </div>
        )}
      </QueryState>
    </section>
  );
}
