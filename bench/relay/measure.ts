// Time and latency helpers shared by the benchmark's processes.

/**
 * Microseconds on the monotonic clock. Every process on one machine reads the same clock
 * (CLOCK_MONOTONIC), so a time taken in the load generator can be compared with one in the consoles.
 */
export const monotonicMicros = (): number => Number(process.hrtime.bigint() / 1000n);

/** Grows as needed; holds latencies in milliseconds. */
export class LatencyRecorder {
  #values = new Float64Array(1024);
  #count = 0;

  record(ms: number): void {
    if (this.#count === this.#values.length) {
      const bigger = new Float64Array(this.#values.length * 2);
      bigger.set(this.#values);
      this.#values = bigger;
    }
    this.#values[this.#count++] = ms;
  }

  reset(): void {
    this.#count = 0;
  }

  get count(): number {
    return this.#count;
  }

  /** Nearest-rank percentiles, rounded to 0.01 ms. */
  summary(): { count: number; p50: number; p90: number; p99: number; max: number } {
    const sorted = this.#values.slice(0, this.#count).sort();
    const at = (p: number): number => {
      if (sorted.length === 0) return 0;
      const value = sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
      return Math.round(value * 100) / 100;
    };
    return { count: this.#count, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
  }
}
