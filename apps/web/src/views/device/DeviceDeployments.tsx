import { useQuery } from '@tanstack/react-query';
import { DEVICE_DEPLOYMENT_LOG } from '../../api/documents/device.ts';
import type {
  DeviceDeploymentLogQuery,
  DeviceDeploymentLogQueryVariables,
} from '../../api/generated.ts';
import { graphqlRequest } from '../../api/graphqlClient.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { formatTime } from '../../components/format.ts';

function useDeploymentLog(deviceId: string) {
  return useQuery({
    queryKey: ['device', deviceId, 'deployments'],
    queryFn: () =>
      graphqlRequest<
        DeviceDeploymentLogQuery,
        DeviceDeploymentLogQueryVariables
      >(DEVICE_DEPLOYMENT_LOG, {
        deviceId,
        first: 50,
      }),
    select: (data) => data.deploymentLog.edges.map((edge) => edge.node),
  });
}

/** The device's deployment log: each deployment step that concerned it. */
export function DeviceDeployments({ deviceId }: { deviceId: string }) {
  const log = useDeploymentLog(deviceId);
  return (
    <section className="card" aria-labelledby="device-deployments-title">
      <h2 id="device-deployments-title">Deployments</h2>
      <QueryState
        query={log}
        label="deployment log"
        isEmpty={(data) => data.length === 0}
        empty="No deployment has touched this device."
      >
        {(data) => (
          <ol className="timeline" aria-label="Deployment log">
            {data.map((line) => (
              <li key={line.id}>
                <time dateTime={line.at}>{formatTime(line.at)}</time>{' '}
                <span className="cause">{line.action}</span>{' '}
                {line.deploymentId && <code>{line.deploymentId}</code>}{' '}
                {line.message}
              </li>
            ))}
          </ol>
        )}
      </QueryState>
    </section>
  );
}
