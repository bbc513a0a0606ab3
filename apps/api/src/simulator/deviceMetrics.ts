import type { HeartbeatMetrics } from './heartbeatTransport.ts';
import type { Random } from './random.ts';

/** Typical readings of a device type, which the random walk returns to. */
export interface MetricsProfile {
  cpuPercent: number;
  memoryPercent: number;
  memoryTotalMb: number;
  diskFreeMb: number;
  gpuPercent: number | null;
  temperatureCpuC: number;
  inferenceLatencyP95Ms: number | null;
}

const PROFILES: Record<string, MetricsProfile> = {
  jetson: {
    cpuPercent: 40,
    memoryPercent: 55,
    memoryTotalMb: 8192,
    diskFreeMb: 32_000,
    gpuPercent: 65,
    temperatureCpuC: 52,
    inferenceLatencyP95Ms: 12,
  },
  rpi: {
    cpuPercent: 30,
    memoryPercent: 45,
    memoryTotalMb: 4096,
    diskFreeMb: 18_000,
    gpuPercent: null,
    temperatureCpuC: 56,
    inferenceLatencyP95Ms: 45,
  },
  gateway: {
    cpuPercent: 20,
    memoryPercent: 35,
    memoryTotalMb: 16_384,
    diskFreeMb: 180_000,
    gpuPercent: null,
    temperatureCpuC: 45,
    inferenceLatencyP95Ms: null,
  },
};

/** The profile of a hardware type (`jetson-orin-nano`, `raspberry-pi-5`, ...). */
export function profileFor(
  hardwareType: string,
  ramMb?: number | null,
): MetricsProfile {
  const family = /jetson/.test(hardwareType)
    ? 'jetson'
    : /raspberry|rpi/.test(hardwareType)
      ? 'rpi'
      : 'gateway';
  const profile = PROFILES[family]!;
  return ramMb ? { ...profile, memoryTotalMb: ramMb } : profile;
}

/** What pushes a metric out of its normal range. */
export type Stress = 'cpu' | 'temperature' | 'disk' | 'crash' | null;

const round = (value: number) => Math.round(value * 10) / 10;
const clamp = (value: number, min: number, max: number) =>
  Math.min(max, Math.max(min, value));

/**
 * One device's readings as a mean-reverting random walk around its
 * profile: each step moves a reading by a small random amount and pulls it
 * a quarter of the way back to typical. A stress pins the readings a
 * degraded or failing device shows (CPU at 95 %+, 85 °C+, under 500 MB of
 * disk, or a crash loop with errors and uptime restarting).
 */
export class DeviceMetrics {
  private cpu: number;
  private memory: number;
  private disk: number;
  private gpu: number | null;
  private temperature: number;

  constructor(
    private readonly profile: MetricsProfile,
    private readonly random: Random,
  ) {
    this.cpu = profile.cpuPercent;
    this.memory = profile.memoryPercent;
    this.disk = profile.diskFreeMb;
    this.gpu = profile.gpuPercent;
    this.temperature = profile.temperatureCpuC;
  }

  private walk(value: number, typical: number, step: number): number {
    return value + (typical - value) * 0.25 + this.random.normal() * step;
  }

  /** The next reading, given seconds of uptime and the current stress. */
  step(uptimeSeconds: number, stress: Stress): HeartbeatMetrics {
    const p = this.profile;
    this.cpu = clamp(this.walk(this.cpu, p.cpuPercent, 4), 1, 100);
    this.memory = clamp(this.walk(this.memory, p.memoryPercent, 2), 5, 99);
    this.disk = clamp(
      this.walk(this.disk, p.diskFreeMb, p.diskFreeMb * 0.002),
      0,
      p.diskFreeMb * 2,
    );
    this.temperature = clamp(
      this.walk(this.temperature, p.temperatureCpuC, 1),
      20,
      110,
    );
    if (this.gpu !== null && p.gpuPercent !== null) {
      this.gpu = clamp(this.walk(this.gpu, p.gpuPercent, 5), 0, 100);
    }

    const cpu = stress === 'cpu' ? this.random.between(95, 99.5) : this.cpu;
    const temperature =
      stress === 'temperature' ? this.random.between(85, 92) : this.temperature;
    const disk = stress === 'disk' ? this.random.between(120, 480) : this.disk;
    const latency = p.inferenceLatencyP95Ms;
    return {
      cpuPercent: round(cpu),
      memoryUsedMb: Math.round((p.memoryTotalMb * this.memory) / 100),
      memoryTotalMb: p.memoryTotalMb,
      diskFreeMb: Math.round(disk),
      gpuPercent: this.gpu === null ? null : round(this.gpu),
      temperatureCpuC: round(temperature),
      temperatureGpuC: this.gpu === null ? null : round(temperature + 3),
      uptimeSeconds: Math.round(uptimeSeconds),
      errorCountLastHour: stress === 'crash' ? this.random.integer(40, 120) : 0,
      inferenceLatencyP95Ms:
        latency === null
          ? null
          : round(
              latency *
                (stress === 'cpu' ? 4 : 1) *
                this.random.between(0.9, 1.1),
            ),
    };
  }
}
