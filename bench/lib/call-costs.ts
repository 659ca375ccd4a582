/**
 * What the calls of runs on real engines cost, from their trace rows: the pool's overhead per call (the page's view
 * of a call minus the engine's own time, measured inside the worker around llama.cpp) and the prompt tokens computed
 * and reused from the KV cache. Pure; the suites feed it the rows `bench/pages/wllama-protocol.ts` returns.
 */

export interface CostedCall {
  role: 'propose' | 'critique' | 'refine' | 'aggregate' | 'residual';
  /** ms since the run started, as the protocol recorded them (page side). */
  startedAt: number;
  endedAt: number;
  /** The engine's own time for the call, ms. */
  engineMs: number;
  promptTokens: number;
  /** Prompt tokens reused from the engine's KV cache. */
  cachedTokens: number;
  /** llama.cpp's prompt processing time, ms (NaN if not reported). */
  promptMs: number;
  /** The worker's clock for the call (usage.extra from WorkerEngine), ms; absent for calls that did not go through a worker. */
  transport?: Transport;
}

/** Where a worker call's time went besides the engine, ms (see `withTransportTiming` in core). */
export interface Transport {
  /** Page posted the request → the worker got it. */
  toWorker: number;
  /** Waiting in the worker for a free slot of its engine. */
  workerQueue: number;
  /** The worker's time around the engine call (the engine's own time is inside it). */
  inWorker: number;
  /** The worker sent the end → the page got it. */
  fromWorker: number;
}

/** Nearest-rank percentile (p in 0..100) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) throw new Error('percentile: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/**
 * A distribution-free confidence interval for the p-th percentile (p in 0..100) of what `values` sample: the order
 * statistics whose ranks the binomial distribution of "samples below the true percentile" puts around it. With few
 * values the interval may reach the smallest or largest one (it is then only bounded on that side by the data).
 */
export function percentileInterval(values: readonly number[], p: number, confidence = 0.95): { low: number; high: number } {
  if (!values.length) throw new Error('percentileInterval: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const q = p / 100;
  // cdf[k] = P(B ≤ k), B ~ Binomial(n, q): how many samples fall below the true percentile.
  const cdf: number[] = [];
  let sum = 0;
  for (let k = 0; k <= n; k++) {
    sum += Math.exp(logChoose(n, k) + k * Math.log(q) + (n - k) * Math.log1p(-q));
    cdf.push(Math.min(1, sum));
  }
  const tail = (1 - confidence) / 2;
  // The percentile lies above the l-th smallest value unless B < l; below the u-th unless B ≥ u.
  let l = 1;
  while (l < n && cdf[l]! <= tail) l++;
  let u = n;
  while (u > 1 && cdf[u - 2]! >= 1 - tail) u--;
  return { low: sorted[l - 1]!, high: sorted[u - 1]! };
}

function logChoose(n: number, k: number): number {
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log(n - k + i) - Math.log(i);
  return sum;
}

export interface PoolOverhead {
  /** Per call: page-side duration − engine time, ms. */
  perCall: number[];
  p50: number;
  p90: number;
  /** 95 % interval of the p90 (percentileInterval). */
  p90Interval: { low: number; high: number };
  max: number;
  /** Σ overhead ÷ Σ engine time. */
  share: number;
}

/** The pool's overhead per call: everything between the protocol starting a call and the engine's own work. */
export function poolOverhead(calls: readonly CostedCall[]): PoolOverhead {
  const usable = calls.filter((c) => Number.isFinite(c.engineMs) && c.engineMs > 0);
  if (!usable.length) throw new Error('poolOverhead: no call with an engine time');
  const perCall = usable.map((c) => c.endedAt - c.startedAt - c.engineMs);
  const engine = usable.reduce((sum, c) => sum + c.engineMs, 0);
  return {
    perCall,
    p50: percentile(perCall, 50),
    p90: percentile(perCall, 90),
    p90Interval: percentileInterval(perCall, 90),
    max: Math.max(...perCall),
    share: perCall.reduce((a, b) => a + b, 0) / engine,
  };
}

/** The pool overhead split by where it went, per call, ms: p50 and p90 of each part over the calls that have a
 *  worker clock. `relay` is the worker's own time around the engine (its loop relaying tokens); `page` is what is
 *  left: the protocol and pool on the page before the request is posted and after its end arrives. */
export interface OverheadParts {
  calls: number;
  parts: Record<'toWorker' | 'workerQueue' | 'relay' | 'fromWorker' | 'page', { p50: number; p90: number }>;
}

export function overheadParts(calls: readonly CostedCall[]): OverheadParts {
  const timed = calls.filter((c): c is CostedCall & { transport: Transport } => !!c.transport && Number.isFinite(c.engineMs) && c.engineMs > 0);
  if (!timed.length) throw new Error('overheadParts: no call with a worker clock and an engine time');
  const split = timed.map((c) => {
    const t = c.transport;
    const relay = t.inWorker - c.engineMs;
    return { toWorker: t.toWorker, workerQueue: t.workerQueue, relay, fromWorker: t.fromWorker, page: c.endedAt - c.startedAt - c.engineMs - t.toWorker - t.workerQueue - relay - t.fromWorker };
  });
  const stat = (key: keyof (typeof split)[number]) => ({ p50: percentile(split.map((s) => s[key]), 50), p90: percentile(split.map((s) => s[key]), 90) });
  return { calls: timed.length, parts: { toWorker: stat('toWorker'), workerQueue: stat('workerQueue'), relay: stat('relay'), fromWorker: stat('fromWorker'), page: stat('page') } };
}

export interface PromptCost {
  calls: number;
  /** Every prompt token. */
  prompt: number;
  /** Computed (prefill). */
  processed: number;
  /** Reused from the KV cache. */
  reused: number;
  /** llama.cpp's prompt processing time, ms. */
  promptMs: number;
}

/** Prompt tokens computed and reused, and prefill time, over the calls of one role (or all). */
export function promptCost(calls: readonly CostedCall[], role?: CostedCall['role']): PromptCost {
  const mine = role ? calls.filter((c) => c.role === role) : calls;
  const prompt = mine.reduce((sum, c) => sum + c.promptTokens, 0);
  const reused = mine.reduce((sum, c) => sum + c.cachedTokens, 0);
  return { calls: mine.length, prompt, processed: prompt - reused, reused, promptMs: mine.reduce((sum, c) => sum + (Number.isFinite(c.promptMs) ? c.promptMs : 0), 0) };
}
