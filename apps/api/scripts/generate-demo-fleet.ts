/**
 * Writes the demo fleet, `apps/api/demo-fleet/`, in the spec's file-based
 * registry layout: 300 devices (Jetson Orin Nano, Raspberry Pi 4 and 5,
 * x86 gateways) over three sites with lines, roles and the spec's tags,
 * the spec's example groups and a few more, the deployment
 * deploy-20250116-001 with its history, and the catch-up queue it left.
 * Deterministic: the same seed writes the same files, byte for byte, in
 * exactly the form `rollcall export` writes. Run it with
 * `pnpm --filter @rollcall/api demo:generate [--seed N] [--out DIR]`.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compareCatchUp } from '../src/importExport/catchUpDocument.ts';
import {
  catchUpFileRoot,
  deploymentFileRoot,
  deviceFileRoot,
  groupFileRoot,
} from '../src/importExport/registryDocuments.ts';
import { toYamlText } from '../src/importExport/yamlFile.ts';
import { generateDevices } from './demo-fleet/demoDevices.ts';
import {
  demoDeployment,
  demoGroups,
  retriedEntry,
} from './demo-fleet/demoHistory.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '20250116' },
    out: { type: 'string' },
  },
});
const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(values.out ?? join(here, '..', 'demo-fleet'));

const devices = generateDevices(Number(values.seed));
const groups = demoGroups(devices);
for (const group of groups) {
  for (const id of group.devices ?? []) {
    devices.find((d) => d.document.id === id)?.document.groups.push(group.name);
  }
}
const { deployment, queue } = demoDeployment(devices);
const retried = retriedEntry(devices);
const entries = [...queue, ...(retried ? [retried] : [])].sort(compareCatchUp);

for (const folder of ['devices', 'groups', 'deployments']) {
  rmSync(join(out, folder), { recursive: true, force: true });
  mkdirSync(join(out, folder), { recursive: true });
}
for (const { document } of devices) {
  document.groups.sort();
  writeFileSync(
    join(out, 'devices', `${document.id}.yaml`),
    toYamlText(deviceFileRoot(document)),
  );
}
for (const group of groups) {
  writeFileSync(
    join(out, 'groups', `${group.name}.yaml`),
    toYamlText(groupFileRoot(group)),
  );
}
writeFileSync(
  join(out, 'deployments', `${deployment.id}.yaml`),
  toYamlText(deploymentFileRoot(deployment)),
);
writeFileSync(
  join(out, 'catch-up-queue.yaml'),
  toYamlText(catchUpFileRoot(entries)),
);

process.stdout.write(
  `Wrote ${devices.length} devices, ${groups.length} groups, 1 deployment and ` +
    `${entries.length} catch-up entries to ${out}\n`,
);
