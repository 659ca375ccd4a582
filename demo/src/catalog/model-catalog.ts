/**
 * WebLLM's prebuilt chat models as the demo shows them: family, precision, estimated download size, memory need,
 * and whether this device can run them. Built from the runtime's page-side copy of WebLLM's model list
 * (`webllmModels()`, a small lazily loaded table), never from @mlc-ai/web-llm itself (6 MB).
 */
import { cleanModelUrl, needsShaderF16, parseModelId, webllmModels, type ModelRecordLike } from '@attention-moa/core';

export interface ModelInfo {
  id: string;
  /** The id without quantization and context suffix, e.g. "Qwen2.5-1.5B-Instruct". */
  family: string;
  quantization: string;
  /** A 1k-context build (`-1k`). */
  shortContext: boolean;
  /** Where the weights come from; WebLLM's cache keys every file under this URL. */
  url: string;
  vramMB: number;
  contextWindow: number;
  /** Needs the `shader-f16` WebGPU feature (listed by WebLLM, or any f16 build: several don't list it but need it). */
  needsF16: boolean;
  /** Parameters, in billions (from the name, corrected where the name rounds a lot). */
  paramsB: number;
  /** Estimated download: parameters × bits per weight of the quantization, plus the wasm and tokenizer. */
  downloadMB: number;
  /** Offered in the picker: instruction-tuned (not a base or reasoning-only build). */
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

export function estimateParamsB(family: string): number {
  const override = PARAMS_OVERRIDE_B[family];
  if (override !== undefined) return override;
  // "1.5B", "360M", "1_6b", "E2B": the last size-looking token of the name.
  const last = [...family.matchAll(/(\d+(?:[._]\d+)?)([BbMm])(?![a-zA-Z])/g)].at(-1);
  if (!last) return NaN;
  const value = Number(last[1]!.replace('_', '.'));
  return /[Mm]/.test(last[2]!) ? value / 1000 : value;
}

export function toModelInfo(record: ModelRecordLike): ModelInfo {
  const parsed = parseModelId(record.model_id);
  const family = parsed?.family ?? record.model_id;
  const quantization = parsed?.quant ?? 'unknown';
  const paramsB = estimateParamsB(family);
  const bits = BITS_PER_WEIGHT[quantization];
  const ctx = record.overrides?.context_window_size;
  return {
    id: record.model_id,
    family,
    quantization,
    shortContext: parsed?.suffix === '-1k',
    url: cleanModelUrl(record.model),
    vramMB: Math.round(record.vram_required_MB ?? 0),
    contextWindow: typeof ctx === 'number' ? ctx : 4096,
    needsF16: needsShaderF16(record),
    paramsB,
    downloadMB: Number.isFinite(paramsB) && bits ? Math.round((paramsB * 1e9 * bits) / 8 / 2 ** 20 + OVERHEAD_MB) : NaN,
    chat: !/-Base-|-Reasoning-/.test(record.model_id),
  };
}

export interface DeviceLimits {
  f16: boolean;
  /** GPU memory the models may use, MB (undefined: don't filter on size). */
  memoryBudgetMB?: number;
}

export type Runnable = { ok: true } | { ok: false; reason: string };

export function canRun(model: ModelInfo, device: DeviceLimits): Runnable {
  if (model.needsF16 && !device.f16) return { ok: false, reason: 'needs shader-f16, which this GPU lacks' };
  if (device.memoryBudgetMB !== undefined && model.vramMB > device.memoryBudgetMB) {
    return { ok: false, reason: `needs ${formatMB(model.vramMB)} of GPU memory; the budget is ${formatMB(device.memoryBudgetMB)}` };
  }
  return { ok: true };
}

export class ModelCatalog {
  readonly models: readonly ModelInfo[];
  private readonly byId: Map<string, ModelInfo>;

  /** Chat models only: embedding models (type 1) and vision models (type 2) are left out. */
  constructor(records: readonly ModelRecordLike[]) {
    this.models = records.filter((r) => (r.model_type ?? 0) === 0).map(toModelInfo);
    this.byId = new Map(this.models.map((m) => [m.id, m]));
  }

  find(id: string): ModelInfo | undefined {
    return this.byId.get(id);
  }

  /** Like find, but an unknown id is an error that names it. */
  require(id: string): ModelInfo {
    const model = this.byId.get(id);
    if (!model) throw new Error(`Unknown model id "${id}": it is not in WebLLM's prebuilt model list.`);
    return model;
  }

  /** The f32 build of the same model and context (q4f16_1 → q4f32_1, q0f16 → q0f32), if WebLLM has one. */
  f32Variant(id: string): ModelInfo | undefined {
    const model = this.find(id);
    if (!model || !model.needsF16) return model;
    return this.find(id.replace(`-${model.quantization}-`, `-${model.quantization.replace('f16', 'f32')}-`));
  }

  /** The chat models the picker offers on this device, smallest first. */
  pickable(device: DeviceLimits): ModelInfo[] {
    return this.models.filter((m) => m.chat && canRun(m, device).ok).sort((a, b) => a.vramMB - b.vramMB || a.id.localeCompare(b.id));
  }
}

/** The runtime's copy of WebLLM's list, loaded on demand (a separate small chunk). */
export async function loadModelCatalog(): Promise<ModelCatalog> {
  return new ModelCatalog(await webllmModels());
}

/** "1.4 GB", "580 MB". */
export function formatMB(mb: number): string {
  if (!Number.isFinite(mb)) return 'unknown';
  return mb >= 1000 ? `${(mb / 1024).toFixed(1)} GB` : `${Math.round(mb)} MB`;
}

/** A short display name: "Qwen2.5-1.5B-Instruct-q4f32_1-MLC" → "Qwen2.5 1.5B". */
export function shortName(id: string): string {
  const parsed = parseModelId(id);
  const family = parsed?.family ?? id;
  const name = family
    .replace(/-(Instruct|instruct|Chat|chat|it)(?=-|$)/g, '')
    .replace(/-v\d+(\.\d+)*$/, '')
    .replace(/-(\d+(?:[._]\d+)?[BbMm])$/, ' $1')
    .replace(/-(\d+(?:[._]\d+)?[BbMm])-/, ' $1 ');
  return parsed?.suffix === '-1k' ? `${name} (1k)` : name;
}
