// Debounced, coalescing analysis runs per document (or notebook). Edits that arrive while a run is
// pending are merged into the next one, and a document whose analysis costs more than a frame waits
// proportionally longer after the last keystroke, so a burst of typing never queues analyses back to back.

/** Analyses cheaper than this never stretch the delay. */
export const FRAME_BUDGET_MS = 16;

/** A run waiting for its quiet time: a timer, or with no delay the next turn of the event loop. */
type Pending = { timer: NodeJS.Timeout } | { immediate: NodeJS.Immediate };

export class AnalysisScheduler {
  private readonly timers = new Map<string, Pending>();
  private readonly costs = new Map<string, number>();

  constructor(private readonly configuredDelay: (key: string) => number) {}

  /** The quiet time to wait before analysing `key`: the user's delay, or twice the last run's cost when that was over a frame. */
  delayFor(key: string): number {
    const cost = this.costs.get(key) ?? 0;
    const base = this.configuredDelay(key);
    return cost > FRAME_BUDGET_MS ? Math.max(base, 2 * cost) : base;
  }

  /** (Re)starts `key`'s timer; only the last scheduled run happens. */
  schedule(key: string, run: () => void): void {
    this.cancel(key);
    const fire = () => {
      this.timers.delete(key);
      run();
    };
    const delay = this.delayFor(key);
    // A timer of 0 ms waits at least 1 ms and a pass of the timers phase; setImmediate still lets the edits
    // that arrived in the same read of the input coalesce into one run.
    this.timers.set(key, delay > 0 ? { timer: setTimeout(fire, delay) } : { immediate: setImmediate(fire) });
  }

  isPending(key: string): boolean {
    return this.timers.has(key);
  }

  cancel(key: string): void {
    const pending = this.timers.get(key);
    if (pending && 'timer' in pending) clearTimeout(pending.timer);
    else if (pending) clearImmediate(pending.immediate);
    this.timers.delete(key);
  }

  recordCost(key: string, ms: number): void {
    this.costs.set(key, ms);
  }

  lastCost(key: string): number | undefined {
    return this.costs.get(key);
  }

  forget(key: string): void {
    this.cancel(key);
    this.costs.delete(key);
  }

  dispose(): void {
    for (const pending of this.timers.values()) {
      if ('timer' in pending) clearTimeout(pending.timer);
      else clearImmediate(pending.immediate);
    }
    this.timers.clear();
  }
}
