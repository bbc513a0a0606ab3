import { cpus, totalmem } from 'node:os';
import { availableParallelism } from 'node:os';

/** The machine a run was measured on. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  postgres: Record<string, string>;
  date: string;
}

/** What this machine is, with the PostgreSQL version of each target. */
export function machineInfo(postgres: Record<string, string>): MachineInfo {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres,
    date: new Date().toISOString(),
  };
}
