import { StateBadge } from '../../components/StateBadge.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { Link } from '../../router/Link.tsx';
import { DeviceCatchUp } from './DeviceCatchUp.tsx';
import { DeviceActions } from './DeviceActions.tsx';
import { DeviceDeployments } from './DeviceDeployments.tsx';
import { DeviceRecordView } from './DeviceRecordView.tsx';
import { MetricCharts } from './MetricCharts.tsx';
import { StateTimeline } from './StateTimeline.tsx';
import { useDevice, useDeviceLive } from './useDevice.ts';

/** One device: record, metrics, timeline, queue entries and allowed actions. */
export function DeviceDetailView({ deviceId }: { deviceId: string }) {
  const device = useDevice(deviceId);
  useDeviceLive(deviceId);

  return (
    <section aria-labelledby="device-title">
      <p>
        <Link to="/devices">← Devices</Link>
      </p>
      <QueryState
        query={device}
        label="device"
        isEmpty={(data) => data === null}
        empty={`There is no device ${deviceId}.`}
      >
        {(data) =>
          data && (
            <>
              <div className="heading-row">
                <h1 id="device-title">{data.id}</h1>
                <span data-testid="device-state">
                  <StateBadge value={data.status.state} />
                </span>
              </div>
              <DeviceActions deviceId={data.id} state={data.status.state} />
              <div className="detail-grid">
                <DeviceRecordView record={data} />
                <div>
                  <MetricCharts deviceId={data.id} />
                  <StateTimeline deviceId={data.id} />
                  <DeviceDeployments deviceId={data.id} />
                  <DeviceCatchUp deviceId={data.id} />
                </div>
              </div>
            </>
          )
        }
      </QueryState>
    </section>
  );
}
