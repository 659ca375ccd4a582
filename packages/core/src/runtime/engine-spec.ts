/**
 * What a pool is asked to run, per model key: a WebLLM model (by id or family), a scripted engine, or a wllama
 * model. Validated on the page, with errors that name the key and field, before any worker starts.
 */
import type { ScriptedWorkerSpec } from '../engine/scripted-hosted.js';
import type { WllamaSpec } from '../engine/wllama.js';
import { runtimeError } from './errors.js';
import type { AppConfigLike, ModelRecordLike } from './model-record.js';

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

export type EngineSpec = WebLLMEngineSpec | ScriptedEngineSpec | WllamaEngineSpec;

const KINDS = ['webllm', 'scripted', 'wllama'];

function bad(key: string, field: string, message: string): never {
  throw runtimeError('BAD_SPEC', { model: key, field }, { message: `models["${key}"].${field}: ${message}` });
}

/** Throws BAD_SPEC naming the key, the field and the fix. */
export function validateEngineSpec(key: string, spec: unknown): asserts spec is EngineSpec {
  if (typeof spec !== 'object' || spec === null) bad(key, 'kind', 'expected an object like { kind: "webllm", model: "Qwen2.5-0.5B-Instruct" }');
  const s = spec as Record<string, unknown>;
  if (!KINDS.includes(s.kind as string)) bad(key, 'kind', `must be "webllm", "scripted" or "wllama", got ${JSON.stringify(s.kind)}`);
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
  if (s.kind === 'wllama' && !((typeof s.model === 'string' && s.model) || (typeof Blob !== 'undefined' && s.model instanceof Blob))) {
    bad(key, 'model', 'must be the URL of a GGUF file or a Blob/File');
  }
  try {
    structuredClone(spec);
  } catch (error) {
    bad(key, 'kind', `cannot be sent to a worker (${(error as Error).message}); specs must be plain data (no functions, class instances or DOM objects).`);
  }
}

/** Resolves relative URLs of an appConfig against the page, since the worker has a different base URL. */
export function absoluteAppConfig(appConfig: AppConfigLike, base: string | undefined): AppConfigLike {
  const resolve = (url: string) => (base ? new URL(url, base).href : url);
  return { model_list: appConfig.model_list.map((r) => ({ ...r, model: resolve(r.model), model_lib: resolve(r.model_lib) })) };
}
