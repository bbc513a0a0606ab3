import type { DeviceSummary } from '../../api/documents/devices.ts';
import { StateBadge } from '../../components/StateBadge.tsx';
import { formatAge, formatCount } from '../../components/format.ts';
import { useNow } from '../../components/useNow.ts';
import { Link } from '../../router/Link.tsx';
import { PAGE_SIZE } from './useDevices.ts';

interface DevicesTableProps {
  devices: readonly DeviceSummary[];
  /** Null while the matches are still being counted. */
  totalCount: number | null;
  pageNumber: number;
  hasNextPage: boolean;
  isFetching: boolean;
  onNext(): void;
  onPrevious(): void;
}

/** One page of devices with previous/next cursor navigation. */
export function DevicesTable(props: DevicesTableProps) {
  const { devices, totalCount, pageNumber, hasNextPage, isFetching } = props;
  // Ages are shown to the second and heartbeats arrive live: tick each second.
  const now = useNow(1_000);
  const first = (pageNumber - 1) * PAGE_SIZE + 1;

  return (
    <div className="table-wrap" aria-busy={isFetching}>
      <table aria-label="Devices">
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">State</th>
            <th scope="col">Type</th>
            <th scope="col">Version</th>
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
                <div className="muted small">{device.hostname}</div>
              </td>
              <td>
                <StateBadge value={device.status.state} />
                {device.status.offlineTier && (
                  <StateBadge value={device.status.offlineTier} />
                )}
              </td>
              <td>{device.hardware.type}</td>
              <td>{device.deployment.currentVersion ?? '—'}</td>
              <td>{formatAge(device.status.lastHeartbeat, now)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav className="pager" aria-label="Pages">
        <button
          type="button"
          className="secondary"
          onClick={props.onPrevious}
          disabled={pageNumber === 1}
        >
          Previous
        </button>
        <span>
          {formatCount(first)}–{formatCount(first + devices.length - 1)} of{' '}
          {totalCount === null ? 'counting…' : formatCount(totalCount)}
        </span>
        <button
          type="button"
          className="secondary"
          onClick={props.onNext}
          disabled={!hasNextPage}
        >
          Next
        </button>
      </nav>
    </div>
  );
}
