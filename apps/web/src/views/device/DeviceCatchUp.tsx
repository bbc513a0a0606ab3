import { QueryState } from '../../components/QueryState.tsx';
import { CatchUpTable } from '../catchUp/CatchUpTable.tsx';
import { useCatchUpQueue } from '../catchUp/useCatchUp.ts';

/** The device's catch-up entries (each names its deployment). */
export function DeviceCatchUp({ deviceId }: { deviceId: string }) {
  const queue = useCatchUpQueue({ deviceId });
  return (
    <section className="card" aria-labelledby="device-catch-up-title">
      <h2 id="device-catch-up-title">Catch-up entries</h2>
      <QueryState
        query={queue}
        label="catch-up entries"
        isEmpty={(data) => data.edges.length === 0}
        empty="No catch-up entries for this device."
      >
        {(data) => (
          <CatchUpTable
            entries={data.edges.map((edge) => edge.node)}
            showDevice={false}
          />
        )}
      </QueryState>
    </section>
  );
}
