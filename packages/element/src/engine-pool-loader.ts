/**
 * The loader behind the `models` attribute: the runtime's EnginePool (one worker per model, memory planned before
 * any download, progress per model) turned into the element's `ModelLoader`. By default every model id is a WebLLM
 * model; `createPoolLoader({ spec })` maps ids to other engine specs (scripted engines in workers, wllama).
 * The `remote-models` entries become `kind: 'openai'` specs: agents on OpenAI-compatible servers, named
 * "model (host)", with no download and no worker.
 */
import { agentName, agentNames } from '@attention-moa/core/lite';
import type { EnginePoolOptions, EngineSpec } from '@attention-moa/core';
import type { LoadedEngines, ModelLoader } from './loader-contract.js';
import { loadCore } from './core-loader.js';

export interface PoolLoaderOptions extends Omit<EnginePoolOptions, 'models' | 'memoryBudgetMB' | 'protocol' | 'phases' | 'onEvent'> {
  /** The engine spec for a model id of the `models` attribute. Default: `{ kind: 'webllm', model: id }`. A spec with a
   *  model per backend (`{ webgpu, wasm }`) lets the pool choose; the loading panel then says which and why. */
  spec?: (model: string) => EngineSpec;
}

export { agentName, agentNames };

export function createPoolLoader(options: PoolLoaderOptions = {}): ModelLoader {
  const { spec = (model: string): EngineSpec => ({ kind: 'webllm', model }), ...poolOptions } = options;
  return async (request) => {
    const remote = request.remote ?? [];
    // One key per agent: the model ids, then the server models as model@baseURL.
    const models = [...request.models, ...remote.map((r) => `${r.model}@${r.baseURL}`)];
    const names = [...agentNames(request.models), ...remote.map((r) => `${r.model} (${new URL(r.baseURL).host})`)];
    const chosen = request.aggregator;
    const aggIndex = chosen === undefined ? 0 : models.findIndex((m, i) => m === chosen || names[i] === chosen);
    if (aggIndex < 0) {
      throw Object.assign(new Error(`aggregator "${chosen}" is none of the models (${models.join(', ')}): name one of them or an agent name (${names.join(', ')})`), {
        name: 'ConfigError',
        code: 'CONFIG_INVALID',
      });
    }
    const specs: Record<string, EngineSpec> = Object.fromEntries([
      ...request.models.map((m) => [m, spec(m)]),
      ...remote.map((r) => [`${r.model}@${r.baseURL}`, { kind: 'openai', baseURL: r.baseURL, model: r.model } satisfies EngineSpec]),
    ]);
    // The runtime (pool, workers, memory plan) is loaded with the first load, not with the page.
    const { EnginePool, hasCachedModel } = await loadCore();
    const slotKeys = new Map<string, string[]>();
    const pool = new EnginePool({
      ...poolOptions,
      models: specs,
      ...(request.memoryBudgetBytes !== undefined ? { memoryBudgetMB: Math.floor(request.memoryBudgetBytes / 1e6) } : {}),
      protocol: {
        agents: models.map((m, i) => ({ name: names[i]!, model: m })),
        aggregator: { model: models[aggIndex]! },
        ...(request.layers !== undefined ? { layers: request.layers } : {}),
        ...(request.attention !== undefined ? { attention: request.attention } : {}),
      },
      onEvent: (event) => {
        if (event.type === 'plan') {
          for (const m of event.plan.models) slotKeys.set(m.slot, [...(slotKeys.get(m.slot) ?? []), m.key]);
        } else if (event.type === 'swap-mode') {
          request.onNote?.(event.message);
        } else if (event.type === 'backend') {
          // A spec naming a model per backend: say which backend runs it, and why.
          request.onNote?.(`${names[models.indexOf(event.key)] ?? event.key}: ${event.choice.reason}.`);
        } else if (event.type === 'progress') {
          for (const key of slotKeys.get(event.slot) ?? []) {
            request.onProgress(key, {
              progress: event.progress.fraction,
              text: event.progress.text,
              ...(event.progress.loadedBytes !== undefined ? { loadedBytes: event.progress.loadedBytes } : {}),
              ...(event.progress.totalBytes !== undefined ? { totalBytes: event.progress.totalBytes } : {}),
              elapsedSeconds: event.overall.elapsedSeconds,
            });
          }
        }
      },
    });
    try {
      const plan = await pool.plan();
      // Say before downloading when there is nothing to download.
      const webllm = plan.models.filter((m) => m.kind === 'webllm');
      if (webllm.length === plan.models.filter((m) => m.kind !== 'openai').length && webllm.length > 0) {
        const cached = await Promise.all(webllm.map((m) => hasCachedModel(m.model).catch(() => false)));
        if (cached.every(Boolean)) request.onPlan?.({ downloadBytes: 0 });
      }
      await pool.load({ signal: request.signal });
    } catch (error) {
      await pool.dispose();
      throw error;
    }
    const engines: LoadedEngines = {
      agents: models.map((m, i) => ({ name: names[i]!, model: m, engine: pool.engine(m) })),
      aggregator: { name: `${names[aggIndex]} (aggregator)`, model: models[aggIndex]!, engine: pool.engine(models[aggIndex]!) },
      simulated: Object.values(specs).every((s) => s.kind === 'scripted'),
      dispose: () => pool.dispose(),
    };
    return engines;
  };
}

/** The element's default: WebLLM models by id, in workers, planned against the memory budget. */
export const defaultModelLoader: ModelLoader = createPoolLoader();
