/**
 * What a pool is asked to run, per model key: a WebLLM model (by id or family), a scripted engine, a wllama
 * model, or a model on an OpenAI-compatible server (`kind: 'openai'`, run from the page, no worker). Validated on
 * the page, with errors that name the key and field, before any worker starts.
 */
import { RemoteEngineError } from '../engine/remote/remote-errors.js';
import { validateRemoteSpec, type RemoteEngineSpec } from '../engine/remote/remote-spec.js';
import type { ScriptedWorkerSpec } from '../engine/scripted/scripted-hosted.js';
import type { WllamaSpec } from '../engine/wllama/wllama.js';
import type { BackendPreference } from './backend-choice.js';
import { runtimeError } from '../engine/errors.js';
import type { AppConfigLike, ModelRecordLike } from '../engine/model-record.js';

export interface WebLLMEngineSpec {
  kind: 'webllm';
  /** A WebLLM model id (`Qwen2.5-0.5B-Instruct-q4f32_1-MLC`) or a family (`Qwen2.5-0.5B-Instruct`, or
   *  `gemma-2-2b-it-1k` for the 1k-context builds): the family picks the f32 build when the GPU lacks shader-f16. */
  model: string;
  /** Your own model list; it replaces WebLLM's prebuilt one (as in WebLLM). Relative URLs resolve against the page. */
  appConfig?: AppConfigLike;
  /** WebLLM ChatOptions for this model, e.g. `{ context_window_size: 2048 }`. */
  chatOptions?: Record<string, unknown>;
  /** Override the planned GPU memory (MB); default: the record's `vram_required_MB`. */
  vramMB?: number;
}

export type ScriptedEngineSpec = ScriptedWorkerSpec;

export type WllamaEngineSpec = WllamaSpec & { kind: 'wllama'; vramMB?: number };

/**
 * One model available on both backends: the pool picks WebGPU (WebLLM) or WASM (wllama) when it plans, and says
 * which and why in a `backend` event. No `kind`: the choice makes it one.
 */
export interface BackendEngineSpec {
  kind?: undefined;
  /** 'auto' (default: the pool's `backend`, else 'auto'), or force one backend. */
  backend?: BackendPreference;
  /** The model for WebGPU. */
  webgpu?: Omit<WebLLMEngineSpec, 'kind'>;
  /** The model for the WASM engine; `bytes` (its download size, e.g. a catalog entry's `approxBytes`) lets the
   *  choice reject a GGUF too large for the 4 GiB WebAssembly heap before downloading it. */
  wasm?: Omit<WllamaEngineSpec, 'kind'> & { bytes?: number };
}

export type { RemoteEngineSpec };

export type EngineSpec = WebLLMEngineSpec | ScriptedEngineSpec | WllamaEngineSpec | RemoteEngineSpec | BackendEngineSpec;

/** A spec naming one engine kind (what a `{ webgpu, wasm }` spec becomes once its backend is chosen). */
export type ConcreteEngineSpec = Exclude<EngineSpec, BackendEngineSpec>;

/** A spec hosted in an agent worker (all but remote models, which the page calls over HTTP). */
export type WorkerEngineSpec = Exclude<ConcreteEngineSpec, RemoteEngineSpec>;

/** A spec that names a model for each backend and lets the pool choose. */
export function isBackendEngineSpec(spec: EngineSpec): spec is BackendEngineSpec {
  // Validated specs have a known kind, or none and a model per backend.
  return spec.kind === undefined;
}

const BACKENDS = ['webgpu', 'wasm', 'auto'];

const KINDS = ['webllm', 'scripted', 'wllama', 'openai'];

function bad(key: string, field: string, message: string): never {
  throw runtimeError('BAD_SPEC', { model: key, field }, { message: `models["${key}"].${field}: ${message}` });
}

/** Throws BAD_SPEC naming the key, the field and the fix. */
export function validateEngineSpec(key: string, spec: unknown): asserts spec is EngineSpec {
  if (typeof spec !== 'object' || spec === null) bad(key, 'kind', 'expected an object like { kind: "webllm", model: "Qwen2.5-0.5B-Instruct" }');
  const s = spec as Record<string, unknown>;
  if (s.kind === undefined && (s.webgpu !== undefined || s.wasm !== undefined || s.backend !== undefined)) {
    validateBackendSpec(key, s);
    return;
  }
  if (!KINDS.includes(s.kind as string)) bad(key, 'kind', `must be "webllm", "scripted", "wllama" or "openai", got ${JSON.stringify(s.kind)}`);
  if (s.kind === 'openai') {
    try {
      validateRemoteSpec(s, `models["${key}"]`);
    } catch (error) {
      if (!(error instanceof RemoteEngineError)) throw error;
      throw runtimeError('BAD_SPEC', { model: key, field: String(error.details.field ?? 'kind') }, { message: error.message.replace(/^(models\["[^"]*"\])\.(\w+) /, '$1.$2: ') });
    }
    return;
  }
  if (s.vramMB !== undefined && !(typeof s.vramMB === 'number' && Number.isFinite(s.vramMB) && s.vramMB >= 0)) {
    bad(key, 'vramMB', `must be a number of megabytes ≥ 0, got ${String(s.vramMB)}`);
  }
  if (s.kind === 'webllm') {
    if (typeof s.model !== 'string' || !s.model.trim()) bad(key, 'model', 'must be a WebLLM model id or family name, e.g. "Qwen2.5-0.5B-Instruct"');
    if (s.appConfig !== undefined) {
      const list = (s.appConfig as { model_list?: unknown })?.model_list;
      if (!Array.isArray(list)) bad(key, 'appConfig.model_list', 'must be an array of model records { model, model_id, model_lib }');
      list.forEach((r: Partial<ModelRecordLike>, i: number) => {
        for (const field of ['model', 'model_id', 'model_lib'] as const) {
          if (typeof r?.[field] !== 'string' || !r[field]) bad(key, `appConfig.model_list[${i}].${field}`, 'must be a non-empty string');
        }
      });
    }
  }
  if (s.kind === 'scripted') {
    const rules = (s.script as { rules?: unknown } | undefined)?.rules;
    if (rules !== undefined && !Array.isArray(rules)) bad(key, 'script.rules', 'must be an array of rules');
    (rules as { reply?: unknown }[] | undefined)?.forEach((rule, i) => {
      if (typeof rule?.reply === 'function') {
        bad(key, `script.rules[${i}].reply`, 'is a function, and functions cannot be sent to a worker. Use a string template, a list of strings, or run the ScriptedEngine in the page instead.');
      }
    });
    if (s.loadMs !== undefined && !(typeof s.loadMs === 'number' && s.loadMs >= 0)) bad(key, 'loadMs', 'must be a number of milliseconds ≥ 0');
  }
  if (s.kind !== 'webllm' && s.parallel !== undefined && !(Number.isInteger(s.parallel) && (s.parallel as number) >= 1 && (s.parallel as number) <= 16)) {
    bad(key, 'parallel', `must be a whole number of requests decoded together, from 1 to 16, got ${String(s.parallel)}`);
  }
  if (s.kind === 'wllama' && !((typeof s.model === 'string' && s.model) || (typeof Blob !== 'undefined' && s.model instanceof Blob))) {
    bad(key, 'model', 'must be the URL of a GGUF file or a Blob/File');
  }
  try {
    structuredClone(spec);
  } catch (error) {
    bad(key, 'kind', `cannot be sent to a worker (${(error as Error).message}); specs must be plain data (no functions, class instances or DOM objects).`);
  }
}

function validateBackendSpec(key: string, s: Record<string, unknown>): void {
  if (s.backend !== undefined && !BACKENDS.includes(s.backend as string)) bad(key, 'backend', `must be "webgpu", "wasm" or "auto", got ${JSON.stringify(s.backend)}`);
  if (s.webgpu === undefined && s.wasm === undefined) bad(key, 'webgpu', 'give a model for at least one backend: { webgpu: { model: "Qwen2.5-0.5B-Instruct" }, wasm: { model: "https://…/model.gguf" } }');
  const webgpu = s.webgpu as Record<string, unknown> | undefined;
  if (webgpu !== undefined && (typeof webgpu !== 'object' || webgpu === null || typeof webgpu.model !== 'string' || !webgpu.model.trim())) {
    bad(key, 'webgpu.model', 'must be a WebLLM model id or family name, e.g. "Qwen2.5-0.5B-Instruct"');
  }
  const wasm = s.wasm as Record<string, unknown> | undefined;
  if (wasm !== undefined && !(typeof wasm === 'object' && wasm !== null && ((typeof wasm.model === 'string' && wasm.model) || (typeof Blob !== 'undefined' && wasm.model instanceof Blob)))) {
    bad(key, 'wasm.model', 'must be the URL of a GGUF file or a Blob/File');
  }
  if (wasm?.bytes !== undefined && !(typeof wasm.bytes === 'number' && wasm.bytes > 0)) bad(key, 'wasm.bytes', `must be a size in bytes > 0, got ${String(wasm.bytes)}`);
  // The rest as the concrete specs they become, with the field named under its backend.
  const within = (backend: 'webgpu' | 'wasm', concrete: Record<string, unknown>) => {
    try {
      validateEngineSpec(key, concrete);
    } catch (error) {
      const e = error as { details?: { field?: string }; message?: string };
      const field = `${backend}.${e.details?.field ?? 'model'}`;
      bad(key, field, String(e.message).replace(/^models\["[^"]*"\]\.[\w.\[\]]+: /, ''));
    }
  };
  if (webgpu) within('webgpu', { ...webgpu, kind: 'webllm' });
  if (wasm) {
    const { bytes: _bytes, ...rest } = wasm;
    void _bytes;
    within('wasm', { ...rest, kind: 'wllama' });
  }
}

/** Resolves relative URLs of an appConfig against the page, since the worker has a different base URL. */
export function absoluteAppConfig(appConfig: AppConfigLike, base: string | undefined): AppConfigLike {
  const resolve = (url: string) => (base ? new URL(url, base).href : url);
  return { model_list: appConfig.model_list.map((r) => ({ ...r, model: resolve(r.model), model_lib: resolve(r.model_lib) })) };
}
