import type { Deployment } from '../../api/documents/deployments.ts';
import { useCan } from '../../auth/AuthContext.tsx';
import { ErrorMessage, QueryState } from '../../components/QueryState.tsx';
import { DeploymentControls } from './DeploymentControls.tsx';
import { PlanPreview } from './PlanPreview.tsx';
import { useApproveWave, useDeployments } from './useDeployments.ts';
import { useDeploymentsLive } from './useDeploymentsLive.ts';

/** Deployments: a plan preview for a manifest, then each deployment's waves. */
export function DeploymentsView() {
  const deployments = useDeployments();
  const canWrite = useCan('operator');
  useDeploymentsLive(deployments.data ?? []);

  return (
    <section aria-labelledby="deployments-title">
      <h1 id="deployments-title">Deployments</h1>
      {canWrite && <PlanPreview />}
      <h2>Deployments</h2>
      <QueryState
        query={deployments}
        label="deployments"
        isEmpty={(data) => data.length === 0}
        empty="No deployments yet."
      >
        {(data) => (
          <ul className="plain-list">
            {data.map((deployment) => (
              <DeploymentCard
                key={deployment.id}
                deployment={deployment}
                canApprove={canWrite}
              />
            ))}
          </ul>
        )}
      </QueryState>
    </section>
  );
}

function DeploymentCard({
  deployment,
  canApprove,
}: {
  deployment: Deployment;
  canApprove: boolean;
}) {
  const approve = useApproveWave();
  return (
    <li className="card" aria-label={`Deployment ${deployment.id}`}>
      <h3>
        {deployment.id}: {deployment.artifact} {deployment.targetVersion}{' '}
        <span className="badge">{deployment.state.toLowerCase()}</span>
      </h3>
      <ol className="waves">
        {deployment.waves.map((wave) => {
          const { succeeded, failed, skipped, pending } = wave;
          const total = succeeded + failed + skipped + pending;
          const done = succeeded + failed + skipped;
          const isWaiting = wave.state === 'AWAITING_APPROVAL';
          return (
            <li key={wave.index}>
              <span className="wave-name">
                {wave.name}
                {wave.isCanary ? ' (canary)' : ''}
              </span>
              <progress
                max={Math.max(1, total)}
                value={done}
                aria-label={`${wave.name} progress`}
              />
              <span className="muted small">
                {succeeded} ok, {failed} failed, {skipped} skipped of {total} —{' '}
                {wave.state.toLowerCase()}
              </span>
              {isWaiting && canApprove && (
                <button
                  type="button"
                  disabled={approve.isPending}
                  onClick={() =>
                    approve.mutate({
                      deploymentId: deployment.id,
                      waveIndex: wave.index,
                    })
                  }
                >
                  Approve {wave.name}
                </button>
              )}
            </li>
          );
        })}
      </ol>
      {approve.isError && <ErrorMessage error={approve.error} />}
      {canApprove && (
        <DeploymentControls id={deployment.id} state={deployment.state} />
      )}
    </li>
  );
}
