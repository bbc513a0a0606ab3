import {
  TransportError,
  type HeartbeatAck,
  type HeartbeatInput,
  type HeartbeatTransport,
} from './heartbeatTransport.ts';
import type { Scheduler, TimerHandle } from '../scheduler.ts';

interface Waiting {
  input: HeartbeatInput;
  resolve(ack: HeartbeatAck): void;
  reject(error: unknown): void;
}

/**
 * Coalesces heartbeats into `heartbeatBatch` calls, as a gateway reporting
 * for many devices would: a batch goes when it holds `maxSize` heartbeats
 * (default 100) or `windowMs` after its first one (default 1000 ms). Each
 * heartbeat's promise settles with its own ack, or with the batch's error.
 */
export class BatchSender {
  private waiting: Waiting[] = [];
  private timer: TimerHandle | null = null;
  private readonly maxSize: number;
  private readonly windowMs: number;

  constructor(
    private readonly transport: HeartbeatTransport,
    private readonly scheduler: Scheduler,
    private readonly options: {
      token: string;
      maxSize?: number;
      windowMs?: number;
    },
  ) {
    this.maxSize = options.maxSize ?? 100;
    this.windowMs = options.windowMs ?? 1000;
  }

  send(input: HeartbeatInput): Promise<HeartbeatAck> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      if (this.waiting.length >= this.maxSize) void this.flush();
      else
        this.timer ??= this.scheduler.schedule(this.windowMs, () =>
          this.flush(),
        );
    });
  }

  stop(): void {
    if (this.timer) this.scheduler.cancel(this.timer);
    this.timer = null;
    void this.flush();
  }

  private async flush(): Promise<void> {
    if (this.timer) this.scheduler.cancel(this.timer);
    this.timer = null;
    const batch = this.waiting.splice(0, this.maxSize);
    if (batch.length === 0) return;
    try {
      const acks = await this.transport.sendBatch(
        this.options.token,
        batch.map((item) => item.input),
      );
      batch.forEach((item, index) => {
        const result = acks[index];
        if (result === undefined) {
          item.reject(new Error(`no result for ${item.input.deviceId}`));
        } else if (result instanceof TransportError) item.reject(result);
        else item.resolve(result);
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
    if (this.waiting.length > 0) {
      this.timer ??= this.scheduler.schedule(this.windowMs, () => this.flush());
    }
  }
}
