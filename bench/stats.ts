/** Percentiles, medians with their spread, and a closed-loop driver for the benchmarks. */
export function percentile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The median of repeated runs with their spread (min, max, and max−min relative to the median). */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** (max − min) / |median|: how far apart the runs were. */
  relSpread: number;
  runs: number[];
}

export function spread(values: number[], digits = 3): Spread {
  const median = medianOf(values);
  const min = Math.min(...values);
  const max = Math.max(...values);
  return { median: round(median, digits), min: round(min, digits), max: round(max, digits), relSpread: round((max - min) / Math.abs(median || 1), 3), runs: values.map((v) => round(v, digits)) };
}

function medianOf(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs `task` with at most `concurrency` in flight until `durationMs` passes (each call after `pace`, if given); returns each latency (ms). */
export async function closedLoop(concurrency: number, durationMs: number, task: (i: number) => Promise<void>, pace?: () => Promise<void>): Promise<{ latencies: number[]; errors: number; elapsedMs: number; firstError?: string }> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      const i = next++;
      await pace?.();
      if (performance.now() >= deadline) break;
      const t0 = performance.now();
      try {
        await task(i);
        latencies.push(performance.now() - t0);
      } catch (err) {
        errors += 1;
        firstError ??= (err as Error).message;
      }
    }
  }));
  return { latencies, errors, elapsedMs: performance.now() - started, ...(firstError ? { firstError } : {}) };
}
