import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../components/QueryState.tsx';
import { formatCount, formatCountOf } from '../../components/format.ts';
import { usePlanDeployment } from './useDeployments.ts';

const EXAMPLE = `deployment:
  artifact: inspection-model
  target_version: 2.4.0
  target:
    groups: [production-fleet]
  waves:
    - name: wave-1
      groups: [production-fleet]
      percentage: 100
`;

/** Plans a manifest and shows eligible and excluded devices, warnings and waves. */
export function PlanPreview() {
  const [yaml, setYaml] = useState(EXAMPLE);
  const plan = usePlanDeployment();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    plan.mutate(yaml);
  };

  const result = plan.data?.planDeployment;
  return (
    <form className="card" onSubmit={submit} aria-label="Plan a deployment">
      <h2>Plan a deployment</h2>
      <label htmlFor="manifest">Manifest (YAML)</label>
      <textarea
        id="manifest"
        rows={10}
        value={yaml}
        onChange={(event) => setYaml(event.target.value)}
        spellCheck={false}
      />
      <button type="submit" disabled={plan.isPending}>
        {plan.isPending ? 'Planning…' : 'Preview plan'}
      </button>
      {plan.isError && <ErrorMessage error={plan.error} />}
      {result && (
        <section aria-label="Plan preview">
          {result.offlineWarning && (
            <p role="alert" className="warning">
              {result.offlineWarning}
            </p>
          )}
          <p>
            {formatCount(result.eligible.length)} eligible of{' '}
            {formatCount(result.targetCount)} targeted,{' '}
            {formatCount(result.offlineCount)} offline, canary:{' '}
            {result.canary.join(', ') || 'none'}
          </p>
          <ol>
            {result.waves.map((wave) => (
              <li key={wave.index}>
                {wave.name}: {formatCountOf(wave.devices.length, 'device')},{' '}
                {wave.offline.length} offline (catch-up)
              </li>
            ))}
          </ol>
          {result.excluded.length > 0 && (
            <details>
              <summary>{result.excluded.length} excluded</summary>
              <ul>
                {result.excluded.map((device) => (
                  <li key={device.deviceId}>
                    {device.deviceId}: {device.reason}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </section>
      )}
    </form>
  );
}
