/**
 * WebLLM's prebuilt chat models as the demo shows them: family, precision, estimated download size, memory need,
 * and whether this device can run them. Reads the generated table (prebuilt-models.ts), never @mlc-ai/web-llm.
 */
import { LIB_PREFIX, PREBUILT_MODEL_ROWS, WEBLLM_VERSION } from './prebuilt-models.js';

export { WEBLLM_VERSION };

export type Quantization = 'q0f16' | 'q0f32' | 'q3f16_1' | 'q4f16_1' | 'q4f32_1' | (string & {});

export interface ModelInfo {
  id: string;
  /** The id without quantization and context suffix, e.g. "Qwen2.5-1.5B-Instruct". */
  family: string;
  quantization: Quantization;
  /** Where the weights come from; WebLLM's cache keys every file under this URL. */
  url: string;
  /** The compiled model library (wasm). */
  lib: string;
  vramMB: number;
  contextWindow: number;
  lowResource: boolean;
  /** Needs the `shader-f16` WebGPU feature: listed by WebLLM, or any `f16` build (several don't list it but use f16 shaders). */
  needsF16: boolean;
  /** Parameters, in billions (from the name, corrected where the name rounds a lot). */
  paramsB: number;
  /** Estimated download: parameters × bits per weight of the quantization, plus the wasm and tokenizer. */
  downloadMB: number;
  /** A base (not instruction-tuned) or reasoning-only build: not offered in the picker. */
  chat: boolean;
}

/** Real parameter counts where the name is off by more than a rounding (or says nothing). */
const PARAMS_OVERRIDE_B: Record<string, number> = {
  'Llama-3.2-1B-Instruct': 1.24,
  'Llama-3.2-3B-Instruct': 3.21,
  'Hermes-3-Llama-3.2-3B': 3.21,
  'gemma-2-2b-it': 2.61,
  'gemma-2-2b-jpn-it': 2.61,
  'gemma-4-E2B-it': 5.1,
  'gemma-2b-it': 2.51,
  'Qwen3-1.7B': 2.03,
  'Qwen3-0.6B': 0.75,
  'Phi-3.5-mini-instruct': 3.82,
  'Phi-3-mini-4k-instruct': 3.82,
  'Phi-4-mini-instruct': 3.84,
  'phi-2': 2.78,
  'phi-1_5': 1.42,
};

/** Bits per weight including the group scales (group size 32): 4 + 16/32, 4 + 32/32, … */
const BITS_PER_WEIGHT: Record<string, number> = { q4f16_1: 4.5, q4f32_1: 5, q3f16_1: 3.5, q0f16: 16, q0f32: 32 };
/** The model library and tokenizer come on top of the weights. */
const OVERHEAD_MB = 12;

const ID_PATTERN = /^(.*)-(q\d+f(?:16|32)(?:_\d+)?)-MLC(-1k)?$/;

export function parseModelId(id: string): { family: string; quantization: Quantization; shortContext: boolean } {
  const m = ID_PATTERN.exec(id);
  if (!m) return { family: id, quantization: 'unknown', shortContext: false };
  return { family: m[1]!, quantization: m[2]!, shortContext: m[3] !== undefined };
}

export function estimateParamsB(family: string): number {
  const override = PARAMS_OVERRIDE_B[family];
  if (override !== undefined) return override;
  // "1.5B", "360M", "1_6b", "E2B": the last size-looking token of the name.
  const sizes = [...family.matchAll(/(\d+(?:[._]\d+)?)([BbMm])(?![a-zA-Z])/g)];
  const last = sizes.at(-1);
  if (!last) return NaN;
  const value = Number(last[1]!.replace('_', '.'));
  return /[Mm]/.test(last[2]!) ? value / 1000 : value;
}

function toInfo(row: (typeof PREBUILT_MODEL_ROWS)[number]): ModelInfo {
  const [id, url, lib, vramMB, contextWindow, lowResource, f16Listed] = row;
  const { family, quantization } = parseModelId(id);
  const paramsB = estimateParamsB(family);
  const bits = BITS_PER_WEIGHT[quantization];
  const downloadMB = Number.isFinite(paramsB) && bits ? Math.round((paramsB * 1e9 * bits) / 8 / 2 ** 20 + OVERHEAD_MB) : NaN;
  return {
    id,
    family,
    quantization,
    url,
    lib: LIB_PREFIX + lib,
    vramMB,
    contextWindow,
    lowResource: lowResource === 1,
    needsF16: f16Listed === 1 || /f16/.test(quantization),
    paramsB,
    downloadMB,
    chat: !/-Base-|-Reasoning-/.test(id),
  };
}

export const MODELS: readonly ModelInfo[] = PREBUILT_MODEL_ROWS.map(toInfo);
const BY_ID = new Map(MODELS.map((m) => [m.id, m]));

export function findModel(id: string): ModelInfo | undefined {
  return BY_ID.get(id);
}

/** Like findModel, but an unknown id is an error that names it. */
export function requireModel(id: string): ModelInfo {
  const model = BY_ID.get(id);
  if (!model) throw new Error(`Unknown model id "${id}": it is not in WebLLM ${WEBLLM_VERSION}'s prebuilt list.`);
  return model;
}

/** The f32 build of the same model and context (q4f16_1 → q4f32_1, q0f16 → q0f32), if WebLLM has one. */
export function f32Variant(id: string): ModelInfo | undefined {
  const model = findModel(id);
  if (!model || !model.needsF16) return model;
  const quant = model.quantization.replace('f16', 'f32');
  return findModel(id.replace(`-${model.quantization}-`, `-${quant}-`));
}

export interface DeviceLimits {
  f16: boolean;
  /** GPU memory the device can give the models, MB (undefined: unknown, don't filter on size). */
  memoryBudgetMB?: number;
}

export type Runnable = { ok: true } | { ok: false; reason: string };

export function canRun(model: ModelInfo, device: DeviceLimits): Runnable {
  if (model.needsF16 && !device.f16) return { ok: false, reason: 'needs shader-f16, which this GPU lacks' };
  if (device.memoryBudgetMB !== undefined && model.vramMB > device.memoryBudgetMB) {
    return { ok: false, reason: `needs ${formatMB(model.vramMB)} of GPU memory; about ${formatMB(device.memoryBudgetMB)} is available` };
  }
  return { ok: true };
}

/** The chat models the picker offers on this device, smallest first. */
export function pickableModels(device: DeviceLimits): ModelInfo[] {
  return MODELS.filter((m) => m.chat && canRun(m, device).ok).sort((a, b) => a.vramMB - b.vramMB || a.id.localeCompare(b.id));
}

/** "1.4 GB", "580 MB". */
export function formatMB(mb: number): string {
  if (!Number.isFinite(mb)) return 'unknown';
  return mb >= 1000 ? `${(mb / 1024).toFixed(1)} GB` : `${Math.round(mb)} MB`;
}

/** A short display name: "Qwen2.5-1.5B-Instruct-q4f32_1-MLC" → "Qwen2.5 1.5B". */
export function shortName(id: string): string {
  const { family, shortContext } = parseModelId(id);
  const name = family
    .replace(/-(Instruct|instruct|Chat|chat|it)(?=-|$)/g, '')
    .replace(/-v\d+(\.\d+)*$/, '')
    .replace(/-(\d+(?:[._]\d+)?[BbMm])$/, ' $1')
    .replace(/-(\d+(?:[._]\d+)?[BbMm])-/, ' $1 ');
  return shortContext ? `${name} (1k)` : name;
}
