// Saving: every change goes to the API at once (in the task after the frame that draws it, so
// that the request's own work is not in that frame: afterPaint), one request at a time, in order. A request
// that gets no answer (offline, server down) stays queued, visibly, and is retried; one the
// server refuses (a stale version, a rule) is handed back to the page, which says what
// happened and reloads what it shows. Nothing is dropped silently.

import { NetworkError } from "../../lib/api/client";
import { afterPaint } from "../../shared/frame/afterPaint";

export interface Op {
  /** What the user did, for the status line ("create CLAIM span"). */
  describe: string;
  run: () => Promise<void>;
  /** The server refused it: tell the user, reload. */
  refused: (error: unknown) => void;
}

export interface QueueState {
  waiting: number; // ops not yet saved, the running one included
  offline: boolean; // the last attempt got no answer; retrying
  retryIn: number; // ms until the next attempt when offline
}

export const RETRY_MS = [500, 1000, 2000, 5000, 10000];

export class SaveQueue {
  private readonly ops: Op[] = [];
  private running = false;
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly onChange: (state: QueueState) => void,
    private readonly retryMs: readonly number[] = RETRY_MS,
    /** When a pushed op starts: after the frame that draws the change. */
    private readonly soon: (run: () => void) => void = afterPaint,
  ) {}

  get waiting(): number {
    return this.ops.length;
  }

  push(op: Op): void {
    this.ops.push(op);
    this.emit();
    this.soon(() => void this.drain());
  }

  /** Try now (the user clicked "retry", or the browser came back online). */
  retryNow(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    void this.drain();
  }

  /** Resolves once everything queued so far is saved or refused. */
  async settled(): Promise<void> {
    while (this.ops.length) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  private async drain(): Promise<void> {
    if (this.running || this.timer !== null) return;
    this.running = true;
    try {
      while (this.ops.length) {
        const op = this.ops[0]!;
        try {
          await op.run();
        } catch (error) {
          if (error instanceof NetworkError) {
            const wait = this.retryMs[Math.min(this.failures, this.retryMs.length - 1)]!;
            this.failures++;
            this.timer = setTimeout(() => {
              this.timer = null;
              void this.drain();
            }, wait);
            this.emit(wait);
            return;
          }
          this.ops.shift();
          this.failures = 0;
          this.emit();
          op.refused(error);
          continue;
        }
        this.ops.shift();
        this.failures = 0;
        this.emit();
      }
    } finally {
      this.running = false;
    }
  }

  private emit(retryIn = 0): void {
    this.onChange({ waiting: this.ops.length, offline: retryIn > 0, retryIn });
  }
}
