/**
 * WebLLM model records as plain data (no web-llm import): the fields of WebLLM's `ModelRecord` the runtime reads,
 * how ids are built (`<family>-<quant>-MLC[-1k]`), and the URLs WebLLM derives from a record.
 */
import type { ModelLimits } from './hosted-engine.js';

/** Structurally compatible with WebLLM 0.2.86's `ModelRecord`. */
export interface ModelRecordLike {
  /** Base URL of the weights (a Hugging Face repo URL, or any URL serving the MLC files). */
  model: string;
  model_id: string;
  /** URL of the compiled model library (.wasm). */
  model_lib: string;
  vram_required_MB?: number;
  low_resource_required?: boolean;
  required_features?: string[];
  overrides?: Record<string, unknown>;
  /** 0 LLM, 1 embedding, 2 VLM. */
  model_type?: number;
  model_manifest?: string;
  buffer_size_required_bytes?: number;
}

/** The part of WebLLM's `AppConfig` a user may pass: their own model list (it replaces the prebuilt one, as in WebLLM). */
export interface AppConfigLike {
  model_list: ModelRecordLike[];
}

/** `Qwen2.5-0.5B-Instruct-q4f16_1-MLC-1k` → family `Qwen2.5-0.5B-Instruct`, quant `q4f16_1`, suffix `-1k`. */
export interface ParsedModelId {
  family: string;
  quant: string;
  /** Text after `-MLC` (e.g. `-1k`, `-b32`), '' when none. */
  suffix: string;
}

const ID_PATTERN = /^(.+)-(q\d+f\d+(?:_\d+)?)-MLC(.*)$/;

export function parseModelId(id: string): ParsedModelId | undefined {
  const match = ID_PATTERN.exec(id);
  return match ? { family: match[1]!, quant: match[2]!, suffix: match[3]! } : undefined;
}

/**
 * Whether the model needs `shader-f16`. WebLLM lists it in `required_features` for some records only; several
 * f16 records (Qwen, Llama-3.2, gemma) omit it but still use f16 shaders, so any `…f16…` quantization counts.
 */
export function needsShaderF16(record: ModelRecordLike): boolean {
  if (record.required_features?.includes('shader-f16')) return true;
  const quant = parseModelId(record.model_id)?.quant;
  return quant !== undefined && /f16/.test(quant);
}

/** WebLLM's `cleanModelUrl`: a trailing slash, and `resolve/main/` unless the URL already names a revision. */
export function cleanModelUrl(modelUrl: string): string {
  let url = modelUrl.endsWith('/') ? modelUrl : `${modelUrl}/`;
  if (!/.+\/resolve\/.+\//.test(url)) url += 'resolve/main/';
  return new URL(url).href;
}

/** The URLs WebLLM fetches for a record without a package manifest (config, weights manifest, tokenizer, library). */
export function modelFileUrls(record: ModelRecordLike): { base: string; config: string; tensorCache: string; lib: string } {
  const base = cleanModelUrl(record.model);
  return {
    base,
    config: new URL('mlc-chat-config.json', base).href,
    tensorCache: new URL('tensor-cache.json', base).href,
    lib: record.model_lib,
  };
}

/** Context window from the record's overrides, if it sets one. */
export function contextWindowOf(record: ModelRecordLike): number | undefined {
  const size = record.overrides?.context_window_size;
  return typeof size === 'number' ? size : undefined;
}

/**
 * A WebLLM model's limits from its record: the context window its overrides set (absent: the model's own default,
 * which the protocol takes as 4096), and no system turn for Gemma, whose chat template has none.
 */
export function webllmLimits(record: ModelRecordLike): ModelLimits {
  const contextWindow = contextWindowOf(record);
  return { ...(contextWindow !== undefined ? { contextWindow } : {}), systemRole: !/gemma/i.test(record.model_id) };
}
