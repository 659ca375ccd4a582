/**
 * The easy start: model ids in, a ready Attention-MoA ensemble out — the one call WebLLM users know as
 * `CreateMLCEngine(model, { initProgressCallback })`, for several models at once.
 *
 * It does what a page otherwise wires by hand: an EnginePool with one worker per model (memory planned first), the
 * load with progress, one agent per model named after it, each with the context window and system-turn support its
 * own record states (WebLLM's catalog record; the GGUF's header and chat template), and an AttentionMoA over them.
 */
import type { ChatMessage } from './engine/contract.js';
import { isRuntimeError, runtimeError } from './engine/errors.js';
import { WASM_MODEL_CATALOG } from './engine/wllama/wllama-catalog.js';
import { agentNames } from './protocol/agent-names.js';
import { AttentionMoA } from './protocol/attention-moa.js';
import type { AgentConfig, AttentionMoAEvent, AttentionMoAOptions, AttentionMoAResult, RunOptions } from './protocol/types.js';
import { EnginePool, type EnginePoolOptions } from './runtime/engine-pool.js';
import type { EngineSpec } from './runtime/engine-spec.js';
import type { ModelLoadProgress, OverallLoadProgress } from './runtime/load-progress.js';

/** A model of the ensemble: an id (a WebLLM model id or family, a WASM catalog id, a GGUF URL) or a spec with a name. */
export type EnsembleModel = string | { name?: string; spec: EngineSpec };

export interface EnsembleOptions extends Omit<AttentionMoAOptions, 'agents' | 'aggregator'> {
  /** Which model also aggregates: its index in `models` or its agent name. Default: the first. */
  aggregator?: number | string;
  /**
   * Called as the models load (like WebLLM's `initProgressCallback`): the model that moved and its progress, the
   * overall progress (fraction, bytes, ETA) and its sentence for the UI ("Loading 3 models: 42% · … left").
   */
  initProgressCallback?: (report: { model: string; progress: ModelLoadProgress; overall: OverallLoadProgress; text: string }) => void;
  /** Cancels the load (the promise rejects with LOAD_CANCELLED). */
  signal?: AbortSignal;
  /** Pool options: `backend`, `memoryBudgetMB`, `loading`, `workerUrl`, `onEvent`… (see EnginePool). */
  pool?: Omit<EnginePoolOptions, 'models' | 'protocol' | 'phases'>;
}

/** A loaded ensemble: ask it like an AttentionMoA, dispose it when done (ends the workers, frees the models). */
export interface Ensemble {
  /** The orchestrator, for options and events beyond run/complete. */
  readonly moa: AttentionMoA;
  /** The pool hosting the models (status, stats, cache). */
  readonly pool: EnginePool;
  /** One agent per model, with the limits taken from its record. */
  readonly agents: readonly AgentConfig[];
  run(messages: ChatMessage[], options?: RunOptions): AsyncIterable<AttentionMoAEvent>;
  complete(messages: ChatMessage[], options?: RunOptions): Promise<AttentionMoAResult>;
  dispose(): Promise<void>;
}

/** An id → the engine spec that runs it: `.gguf` URLs and WASM catalog ids on the CPU (wllama), the rest by WebLLM. */
function specOf(id: string): EngineSpec {
  const catalog = WASM_MODEL_CATALOG.find((m) => m.id === id);
  if (catalog) return { kind: 'wllama', model: catalog.url, modelId: catalog.id, contextWindow: catalog.suggestedContextWindow };
  if (/\.gguf(?:[?#].*)?$/i.test(id)) return { kind: 'wllama', model: id };
  return { kind: 'webllm', model: id };
}

function labelOf(model: EnsembleModel): string {
  if (typeof model === 'string') return model;
  const spec = model.spec as { model?: unknown; kind?: unknown };
  return typeof spec.model === 'string' ? spec.model : String(spec.kind ?? 'model');
}

/** The file name of a URL (GGUF agents are named after their file), or the id itself. */
function shortLabel(label: string): string {
  return /^(?:https?:|\/|\.)/.test(label) ? decodeURIComponent(label.split(/[?#]/)[0]!.split('/').pop() || label) : label;
}

/**
 * Builds a ready ensemble from model ids: loads every model in its own worker (with progress), then returns the
 * protocol over them. Rejects with the pool's typed error (UNKNOWN_MODEL, CANNOT_FIT, NO_WEBGPU, a download
 * failure…) if a model cannot load, after freeing whatever had loaded.
 *
 * ```ts
 * const moa = await createEnsemble(['Qwen2.5-0.5B-Instruct-q4f16_1-MLC', 'SmolLM2-360M-Instruct-q4f16_1-MLC'], {
 *   initProgressCallback: ({ text }) => console.log(text),
 *   layers: 2,
 * });
 * const { answer } = await moa.complete([{ role: 'user', content: 'Why is the sky blue?' }]);
 * await moa.dispose();
 * ```
 */
export async function createEnsemble(models: readonly EnsembleModel[], options: EnsembleOptions = {}): Promise<Ensemble> {
  if (!Array.isArray(models) || models.length === 0) {
    throw runtimeError('BAD_SPEC', { field: 'models' }, { message: 'createEnsemble(models): give at least one model id, e.g. ["Qwen2.5-0.5B-Instruct-q4f16_1-MLC"] or a GGUF URL.' });
  }
  const { aggregator, initProgressCallback, signal, pool: poolOptions, ...protocolOptions } = options;
  const labels = models.map(labelOf);
  const given = models.map((m) => (typeof m === 'string' ? undefined : m.name));
  const derived = agentNames(labels.map(shortLabel));
  const names = derived.map((name, i) => given[i] ?? name);
  if (new Set(names).size !== names.length) {
    throw runtimeError('BAD_SPEC', { field: 'models' }, { message: `createEnsemble: two models have the same name (${names.join(', ')}): give each { name, spec } a different name.` });
  }
  const aggIndex = aggregator === undefined ? 0 : typeof aggregator === 'number' ? aggregator : names.indexOf(aggregator);
  if (!Number.isInteger(aggIndex) || aggIndex < 0 || aggIndex >= models.length) {
    throw runtimeError('BAD_SPEC', { field: 'aggregator' }, { message: `createEnsemble: aggregator ${JSON.stringify(aggregator)} is none of the models: give an index below ${models.length} or one of ${names.join(', ')}.` });
  }
  const specs = Object.fromEntries(models.map((m, i) => [names[i]!, typeof m === 'string' ? specOf(m) : m.spec]));
  const userOnEvent = poolOptions?.onEvent;
  const pool = new EnginePool({
    ...poolOptions,
    models: specs,
    protocol: {
      agents: names.map((name) => ({ name, model: name })),
      aggregator: { model: names[aggIndex]! },
      ...(protocolOptions.layers !== undefined ? { layers: protocolOptions.layers } : {}),
      ...(protocolOptions.attention !== undefined ? { attention: protocolOptions.attention } : {}),
      ...(protocolOptions.residual !== undefined ? { residual: protocolOptions.residual } : {}),
    },
    onEvent: (event) => {
      if (event.type === 'progress' && initProgressCallback) {
        const { progress, overall } = event;
        initProgressCallback({ model: event.model, progress, overall, text: overall.text });
      }
      userOnEvent?.(event);
    },
  });
  try {
    await pool.load(signal ? { signal } : {});
  } catch (error) {
    await pool.dispose().catch(() => undefined);
    throw isRuntimeError(error) || error instanceof Error ? error : runtimeError('ENGINE_ERROR', { causeMessage: String(error) });
  }
  const agents: AgentConfig[] = names.map((name) => {
    const limits = pool.limits(name);
    return {
      name,
      engine: pool.engine(name),
      model: name,
      ...(limits?.contextWindow ? { contextWindow: limits.contextWindow } : {}),
      ...(limits?.systemRole === false ? { noSystemRole: true } : {}),
    };
  });
  const lead = agents[aggIndex]!;
  const moa = new AttentionMoA({ ...protocolOptions, agents, aggregator: { ...lead, name: `${lead.name} (aggregator)` } });
  return {
    moa,
    pool,
    agents,
    run: (messages, runOptions) => moa.run(messages, runOptions),
    complete: (messages, runOptions) => moa.complete(messages, runOptions),
    dispose: () => pool.dispose(),
  };
}
