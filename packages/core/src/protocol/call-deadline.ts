/**
 * The default per-call deadline (`callTimeoutMs: 'auto'`): without one, a hung engine makes a run wait until the
 * user presses Stop. It is generous on purpose — cutting off a slow but healthy model loses its answer, while a
 * late cut only costs time:
 *
 *   deadline = 10 s + 4 × (prompt tokens ÷ prefill speed + max tokens ÷ decode speed)
 *
 * with the slowest speeds measured over the last 8 finished calls on the same engine and model (wall clock, from
 * the call's start on its engine: queueing inside a worker and transfer overheads count as slowness). Before any
 * call has finished on a model, it assumes a slow CPU instead (10 tok/s prefill, 2 tok/s decode, no factor), times
 * the number of calls the engine may run at once for this model (they share its speed: three agents on one
 * llama.cpp engine decode together): a 512-token answer gets about 5 minutes alone, 15 shared by three. Measurements belong to the engine object, so they carry over from run to
 * run and between AttentionMoA instances sharing engines.
 */
import type { ChatEngine } from '../engine/contract.js';

export const AUTO_DEADLINE = {
  floorMs: 10_000,
  slack: 4,
  /** Calls kept per model; the slowest of them sets the speed. */
  window: 8,
  /** Before any measurement: a small model on a slow phone CPU. */
  assumed: { prefillTokensPerSecond: 10, decodeTokensPerSecond: 2 },
  /** Fewer output tokens than this do not measure decoding. */
  minDecodeTokens: 4,
  /** At most this many calls at once are assumed to share one unmeasured engine. */
  maxSharing: 8,
} as const;

interface Sample {
  prefill?: number;
  decode?: number;
}

const samples = new WeakMap<ChatEngine, Map<string, Sample[]>>();

/** What one finished call took, for the model's speed. Times in ms on one clock. */
export interface CallTiming {
  promptTokens: number;
  completionTokens: number;
  startedAt: number;
  firstTokenAt?: number;
  endedAt: number;
}

/** Records the speed of a call that finished normally. */
export function recordCallSpeed(engine: ChatEngine, model: string | undefined, t: CallTiming): void {
  if (t.firstTokenAt === undefined) return;
  const sample: Sample = {};
  const prefillMs = t.firstTokenAt - t.startedAt;
  if (t.promptTokens > 0 && prefillMs > 0) sample.prefill = t.promptTokens / (prefillMs / 1000);
  const decodeMs = t.endedAt - t.firstTokenAt;
  if (t.completionTokens >= AUTO_DEADLINE.minDecodeTokens && decodeMs > 0) sample.decode = (t.completionTokens - 1) / (decodeMs / 1000);
  if (sample.prefill === undefined && sample.decode === undefined) return;
  let byModel = samples.get(engine);
  if (!byModel) samples.set(engine, (byModel = new Map()));
  const list = byModel.get(model ?? '') ?? [];
  list.push(sample);
  if (list.length > AUTO_DEADLINE.window) list.shift();
  byModel.set(model ?? '', list);
}

export interface Deadline {
  ms: number;
  /** How it was reached, for the timeout's message. */
  basis: string;
}

/**
 * The 'auto' deadline of a call with this prompt and token budget on this engine and model; `sharing` is how many
 * calls the engine may run at once for this model (its permits). Measured speeds already include that sharing.
 */
export function autoCallDeadline(engine: ChatEngine, model: string | undefined, promptTokens: number, maxTokens: number, sharing = 1): Deadline {
  const list = samples.get(engine)?.get(model ?? '') ?? [];
  const slowest = (key: keyof Sample) => {
    const values = list.map((s) => s[key]).filter((v): v is number => v !== undefined);
    return values.length ? Math.min(...values) : undefined;
  };
  const prefill = slowest('prefill');
  const decode = slowest('decode');
  const { floorMs, slack, assumed } = AUTO_DEADLINE;
  const seconds = (tokens: number, rate: number) => tokens / rate;
  if (decode === undefined) {
    const shared = Number.isFinite(sharing) ? Math.min(AUTO_DEADLINE.maxSharing, Math.max(1, Math.floor(sharing))) : AUTO_DEADLINE.maxSharing;
    const ms = floorMs + shared * 1000 * (seconds(promptTokens, prefill ?? assumed.prefillTokensPerSecond) + seconds(maxTokens, assumed.decodeTokensPerSecond));
    const among = shared > 1 ? `, × ${shared} calls that may share the engine at once` : '';
    return { ms: Math.ceil(ms), basis: `${floorMs / 1000} s + ${maxTokens} tokens at an assumed ${assumed.decodeTokensPerSecond} tok/s${among}, as no call has finished on this model yet` };
  }
  const ms = floorMs + slack * 1000 * (seconds(promptTokens, prefill ?? assumed.prefillTokensPerSecond) + seconds(maxTokens, decode));
  return { ms: Math.ceil(ms), basis: `${floorMs / 1000} s + ${slack} × the time ${maxTokens} tokens take at the ${formatRate(decode)} tok/s measured on this model` };
}

const formatRate = (rate: number) => (rate >= 10 ? String(Math.round(rate)) : rate.toFixed(1));
