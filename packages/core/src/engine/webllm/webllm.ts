/**
 * The WebLLM engine as a worker-hosted engine (kind 'webllm'). Runs only inside the agent worker: this module is
 * imported lazily there, so `@mlc-ai/web-llm` (6 MB) is a chunk of the worker and never of the page.
 *
 * One `MLCEngine` per worker and one model per engine: WebLLM's interrupt flag is per engine, so stopping this
 * worker's generation never stops another model's. Weights are cached in IndexedDB (`cacheBackend: 'indexeddb'`).
 * Failures become typed errors; the fetch monitor supplies the URL and status WebLLM's messages lack.
 */
import type { ChatCompletionChunk, ChatCompletionCreateParams, RequestOptions } from '../contract.js';
import type { EngineStats, HostedEngine, HostedEngineFactory } from '../hosted-engine.js';
import type { AppConfigLike } from '../model-record.js';
import { contextWindowOf, modelFileUrls, needsShaderF16, type ModelRecordLike } from '../model-record.js';
import { runtimeError } from '../errors.js';
import { classifyEngineError } from '../classify-error.js';
import { installFetchMonitor } from '../fetch-monitor.js';
import { importBackend } from '../module-load.js';
import { createWebLLMProgressMapper } from './webllm-progress.js';

export interface WebLLMSpec {
  kind: 'webllm';
  /** The exact model id (the pool resolves families to ids before the worker sees them). */
  model: string;
  /** Your own model list; it replaces WebLLM's prebuilt one (as in WebLLM). URLs must be absolute. */
  appConfig?: AppConfigLike;
  /** WebLLM ChatOptions for this model, e.g. `{ context_window_size: 2048 }`. */
  chatOptions?: Record<string, unknown>;
}

/** Checks WebGPU inside the worker (it can differ from the page) before any download. */
async function checkGpu(model: string, record: ModelRecordLike): Promise<void> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) throw runtimeError('NO_WEBGPU', { model }, { message: `WebGPU is not available inside the worker for "${model}" (navigator.gpu is missing there). Use a browser with WebGPU in workers (Chrome/Edge 113+, Safari 26+).` });
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw runtimeError('NO_ADAPTER', { model });
  if (needsShaderF16(record) && !adapter.features.has('shader-f16')) throw runtimeError('F16_MISSING', { model });
  for (const feature of record.required_features ?? []) {
    if (feature !== 'shader-f16' && !adapter.features.has(feature as GPUFeatureName)) throw runtimeError('GPU_FEATURE_MISSING', { model, feature });
  }
}

function parseStats(text: string): EngineStats {
  const prefill = /prefill:\s*([\d.]+)\s*tok/i.exec(text)?.[1];
  const decode = /decod\w*:\s*([\d.]+)\s*tok/i.exec(text)?.[1];
  return {
    text,
    ...(prefill !== undefined ? { prefillTokensPerSecond: Number(prefill) } : {}),
    ...(decode !== undefined ? { decodeTokensPerSecond: Number(decode) } : {}),
  };
}

export const createWebLLMEngine: HostedEngineFactory<WebLLMSpec> = async (spec, context) => {
  const monitor = installFetchMonitor();
  const webllm = await importBackend('@mlc-ai/web-llm', () => import('@mlc-ai/web-llm'), (m) => typeof m.MLCEngine === 'function');
  const modelList = (spec.appConfig?.model_list ?? webllm.prebuiltAppConfig.model_list) as ModelRecordLike[];
  const record = modelList.find((r) => r.model_id === spec.model);
  if (!record) throw runtimeError('UNKNOWN_MODEL', { model: spec.model });
  const urls = modelFileUrls(record);
  await checkGpu(spec.model, record);
  if (context.signal.aborted) throw runtimeError('LOAD_CANCELLED', { model: spec.model });

  const appConfig = { model_list: modelList, cacheBackend: 'indexeddb' } as unknown as import('@mlc-ai/web-llm').AppConfig;
  const toProgress = createWebLLMProgressMapper();
  const engine = new webllm.MLCEngine({
    appConfig,
    logLevel: 'WARN',
    initProgressCallback: (report) => context.onProgress(toProgress(report)),
  });
  // unload() during reload() aborts it (reload then resolves quietly), which is how a load is cancelled.
  const cancel = () => void engine.unload().catch(() => undefined);
  context.signal.addEventListener('abort', cancel, { once: true });
  monitor.reset();
  try {
    await engine.reload(spec.model, spec.chatOptions as never);
  } catch (error) {
    if (context.signal.aborted) throw runtimeError('LOAD_CANCELLED', { model: spec.model }, { cause: error });
    throw classifyEngineError(error, { phase: 'load', model: spec.model, failures: monitor.failures, requested: monitor.requested, configUrl: urls.config, libUrl: urls.lib });
  } finally {
    context.signal.removeEventListener('abort', cancel);
  }
  if (context.signal.aborted) {
    await engine.unload().catch(() => undefined);
    throw runtimeError('LOAD_CANCELLED', { model: spec.model });
  }

  let active = 0;
  const create = async (params: ChatCompletionCreateParams & { stream: true }, options?: RequestOptions): Promise<AsyncIterable<ChatCompletionChunk>> => {
    const signal = options?.signal;
    // One model per engine: the request's `model` (a family or alias on the page) is this worker's model.
    const request = { ...params, model: spec.model, stream: true as const, stream_options: { include_usage: true } };
    let iterable: AsyncIterable<ChatCompletionChunk>;
    try {
      iterable = (await engine.chat.completions.create(request as never)) as unknown as AsyncIterable<ChatCompletionChunk>;
    } catch (error) {
      throw classifyEngineError(error, { phase: 'chat', model: spec.model });
    }
    return (async function* () {
      // WebLLM takes no AbortSignal; its interrupt flag stops the generation (the worker runs one request at a time).
      const onAbort = () => void engine.interruptGenerate();
      signal?.addEventListener('abort', onAbort, { once: true });
      active++;
      try {
        for await (const chunk of iterable) {
          if (signal?.aborted) break;
          yield chunk;
        }
      } catch (error) {
        throw classifyEngineError(error, { phase: 'chat', model: spec.model });
      } finally {
        active--;
        signal?.removeEventListener('abort', onAbort);
      }
    })();
  };

  // The window the model was loaded with: the spec's chat options, else the record's override (the prebuilt list
  // sets 4096 for most models); WebLLM's Gemma templates take no system message.
  const window = spec.chatOptions?.context_window_size;
  const contextWindow = typeof window === 'number' && window > 0 ? window : contextWindowOf(record);
  const hosted: HostedEngine = {
    chat: { completions: { create } } as HostedEngine['chat'],
    ...(contextWindow !== undefined ? { contextWindow } : {}),
    noSystemRole: /gemma/i.test(spec.model),
    interruptGenerate: () => engine.interruptGenerate(),
    async unload() {
      await engine.unload();
    },
    async stats() {
      if (active > 0) return { text: 'busy' };
      return parseStats(await engine.runtimeStatsText().catch(() => ''));
    },
  };
  return hosted;
};
