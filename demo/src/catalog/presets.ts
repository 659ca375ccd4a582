/**
 * Ensemble presets sized for real devices. Each names its models for GPUs with `shader-f16` and for those without
 * (f32 builds: more memory, same answers); sizes are computed from the catalog, never typed in by hand.
 */
import { type DeviceLimits, type ModelCatalog, type ModelInfo, canRun } from './model-catalog.js';

export type PresetId = 'tiny' | 'balanced' | 'best';

export interface PresetDefinition {
  id: PresetId;
  name: string;
  blurb: string;
  /** Models for a GPU with shader-f16; the first is the default aggregator. */
  f16: string[];
  /** The same ensemble in f32 builds (a family without one is swapped for the closest that has). */
  f32: string[];
}

export const PRESETS: readonly PresetDefinition[] = [
  {
    id: 'tiny',
    name: 'Tiny',
    blurb: 'Three small models. Fits integrated GPUs and recent phones; quick, but the answers are simple.',
    f16: ['gemma3-1b-it-q4f16_1-MLC', 'SmolLM2-360M-Instruct-q4f16_1-MLC', 'SmolLM2-135M-Instruct-q0f16-MLC'],
    // gemma3-1b has no f32 build: Qwen2.5 0.5B takes its place.
    f32: ['Qwen2.5-0.5B-Instruct-q4f32_1-MLC', 'SmolLM2-360M-Instruct-q4f32_1-MLC', 'SmolLM2-135M-Instruct-q0f32-MLC'],
  },
  {
    id: 'balanced',
    name: 'Balanced',
    blurb: 'Three 0.4–1.5 B models from three families. A good default for laptops with 8 GB or more.',
    f16: ['Qwen2.5-1.5B-Instruct-q4f16_1-MLC', 'Llama-3.2-1B-Instruct-q4f16_1-MLC', 'SmolLM2-360M-Instruct-q4f16_1-MLC'],
    f32: ['Qwen2.5-1.5B-Instruct-q4f32_1-MLC', 'Llama-3.2-1B-Instruct-q4f32_1-MLC', 'SmolLM2-360M-Instruct-q4f32_1-MLC'],
  },
  {
    id: 'best',
    name: 'Best quality',
    blurb: 'Three 1.7–3 B models. For desktop GPUs and Apple silicon with plenty of memory.',
    f16: ['Qwen2.5-3B-Instruct-q4f16_1-MLC', 'Llama-3.2-3B-Instruct-q4f16_1-MLC', 'SmolLM2-1.7B-Instruct-q4f16_1-MLC'],
    f32: ['Qwen2.5-3B-Instruct-q4f32_1-MLC', 'Llama-3.2-3B-Instruct-q4f32_1-MLC', 'SmolLM2-1.7B-Instruct-q4f32_1-MLC'],
  },
];

export interface ResolvedPreset {
  id: PresetId;
  name: string;
  blurb: string;
  precision: 'f16' | 'f32';
  models: ModelInfo[];
  aggregator: string;
  downloadMB: number;
  /** All models loaded at once. */
  memoryMB: number;
  /** The largest single model: with less memory than the sum, the runtime swaps models in and out. */
  largestMB: number;
  /** Why it cannot run here, if it cannot (a model needs more memory than the device has). */
  blocked?: string;
  /** Loaded one or a few at a time (slower) because the sum exceeds the budget. */
  swaps: boolean;
}

export function resolvePreset(preset: PresetDefinition, device: DeviceLimits, catalog: ModelCatalog): ResolvedPreset {
  const precision = device.f16 ? 'f16' : 'f32';
  const models = preset[precision].map((id) => catalog.require(id));
  const memoryMB = sum(models.map((m) => m.vramMB));
  const largestMB = Math.max(...models.map((m) => m.vramMB));
  const refusal = models.map((m) => ({ m, r: canRun(m, device) })).find((x) => !x.r.ok);
  return {
    id: preset.id,
    name: preset.name,
    blurb: preset.blurb,
    precision,
    models,
    aggregator: models[0]!.id,
    downloadMB: sum(models.map((m) => m.downloadMB)),
    memoryMB,
    largestMB,
    blocked: refusal && !refusal.r.ok ? `${refusal.m.id} ${refusal.r.reason}` : undefined,
    swaps: device.memoryBudgetMB !== undefined && memoryMB > device.memoryBudgetMB,
  };
}

export function resolvePresets(device: DeviceLimits, catalog: ModelCatalog): ResolvedPreset[] {
  return PRESETS.map((p) => resolvePreset(p, device, catalog));
}

/** The biggest preset that runs without swapping; else the smallest that runs at all; else Tiny. */
export function recommendPreset(presets: ResolvedPreset[]): PresetId {
  const fits = presets.filter((p) => !p.blocked && !p.swaps);
  // Best quality is never the automatic pick: a 6 GB+ download should be a choice.
  const pick = fits.filter((p) => p.id !== 'best').at(-1) ?? presets.find((p) => !p.blocked);
  return pick?.id ?? 'tiny';
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
