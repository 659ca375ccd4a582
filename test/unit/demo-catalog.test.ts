import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { CATALOG_PATH, renderCatalog } from '../../scripts/gen-model-catalog.mjs';
import { MODELS, canRun, estimateParamsB, f32Variant, findModel, parseModelId, pickableModels, requireModel, shortName } from '../../demo/src/catalog/model-catalog.js';
import { PRESETS, recommendPreset, resolvePreset, resolvePresets } from '../../demo/src/catalog/presets.js';

describe('the generated model table', () => {
  it('is in sync with the installed @mlc-ai/web-llm prebuiltAppConfig (run `node scripts/gen-model-catalog.mjs` if not)', async () => {
    expect(readFileSync(CATALOG_PATH, 'utf8')).toBe(await renderCatalog());
  });

  it('holds chat models only, with WebLLM figures', async () => {
    const { prebuiltAppConfig } = await import('@mlc-ai/web-llm');
    const chat = prebuiltAppConfig.model_list.filter((r) => (r.model_type ?? 0) === 0);
    expect(MODELS.map((m) => m.id)).toEqual(chat.map((r) => r.model_id));
    const record = chat.find((r) => r.model_id === 'SmolLM2-360M-Instruct-q4f32_1-MLC')!;
    const model = requireModel('SmolLM2-360M-Instruct-q4f32_1-MLC');
    expect(model.vramMB).toBe(Math.round(record.vram_required_MB!));
    expect(model.lib).toBe(record.model_lib);
    expect(model.url).toBe(`${record.model}/resolve/main/`);
    expect(findModel('snowflake-arctic-embed-m-q0f32-MLC-b32')).toBeUndefined();
  });
});

describe('model facts', () => {
  it('parses ids into family, quantization and context variant', () => {
    expect(parseModelId('Llama-3.2-1B-Instruct-q4f32_1-MLC')).toEqual({ family: 'Llama-3.2-1B-Instruct', quantization: 'q4f32_1', shortContext: false });
    expect(parseModelId('gemma-2-2b-it-q4f16_1-MLC-1k')).toEqual({ family: 'gemma-2-2b-it', quantization: 'q4f16_1', shortContext: true });
    expect(parseModelId('SmolLM2-135M-Instruct-q0f32-MLC').quantization).toBe('q0f32');
  });

  it('estimates parameters from the name, with corrections where the name rounds', () => {
    expect(estimateParamsB('SmolLM2-360M-Instruct')).toBeCloseTo(0.36);
    expect(estimateParamsB('Qwen2.5-1.5B-Instruct')).toBe(1.5);
    expect(estimateParamsB('stablelm-2-zephyr-1_6b')).toBe(1.6);
    expect(estimateParamsB('Llama-3.2-1B-Instruct')).toBe(1.24);
    expect(estimateParamsB('Phi-3.5-mini-instruct')).toBe(3.82);
    // every chat model gets a download estimate
    expect(MODELS.filter((m) => !Number.isFinite(m.downloadMB)).map((m) => m.id)).toEqual([]);
  });

  it('estimates downloads from bits per weight: f32 scales cost more than f16, q0 far more', () => {
    const f16 = requireModel('Qwen2.5-1.5B-Instruct-q4f16_1-MLC');
    const f32 = requireModel('Qwen2.5-1.5B-Instruct-q4f32_1-MLC');
    expect(f16.downloadMB).toBeGreaterThan(700);
    expect(f16.downloadMB).toBeLessThan(1000);
    expect(f32.downloadMB).toBeGreaterThan(f16.downloadMB);
    expect(requireModel('SmolLM2-135M-Instruct-q0f32-MLC').downloadMB).toBeGreaterThan(requireModel('SmolLM2-360M-Instruct-q4f32_1-MLC').downloadMB);
  });

  it('treats every f16 build as needing shader-f16, even where WebLLM does not list it', () => {
    expect(requireModel('Qwen2.5-0.5B-Instruct-q4f16_1-MLC').needsF16).toBe(true); // not listed in required_features
    expect(requireModel('SmolLM2-360M-Instruct-q4f16_1-MLC').needsF16).toBe(true); // listed
    expect(requireModel('Qwen2.5-0.5B-Instruct-q4f32_1-MLC').needsF16).toBe(false);
  });

  it('maps f16 builds to their f32 variant when there is one', () => {
    expect(f32Variant('Llama-3.2-1B-Instruct-q4f16_1-MLC')?.id).toBe('Llama-3.2-1B-Instruct-q4f32_1-MLC');
    expect(f32Variant('SmolLM2-135M-Instruct-q0f16-MLC')?.id).toBe('SmolLM2-135M-Instruct-q0f32-MLC');
    expect(f32Variant('gemma-2-2b-it-q4f16_1-MLC-1k')?.id).toBe('gemma-2-2b-it-q4f32_1-MLC-1k');
    expect(f32Variant('gemma3-1b-it-q4f16_1-MLC')).toBeUndefined();
  });

  it('filters the picker by shader-f16 and by a memory budget, and leaves out base models', () => {
    const noF16 = pickableModels({ f16: false });
    expect(noF16.length).toBeGreaterThan(30);
    expect(noF16.every((m) => !/f16/.test(m.quantization))).toBe(true);
    expect(noF16.some((m) => m.id.includes('-Base-'))).toBe(false);
    expect(pickableModels({ f16: true }).length).toBeGreaterThan(noF16.length);
    const small = pickableModels({ f16: true, memoryBudgetMB: 1000 });
    expect(small.every((m) => m.vramMB <= 1000)).toBe(true);
    expect(canRun(requireModel('Qwen2.5-7B-Instruct-q4f32_1-MLC'), { f16: false, memoryBudgetMB: 4096 })).toMatchObject({ ok: false, reason: expect.stringContaining('GPU memory') });
    expect(canRun(requireModel('Qwen2.5-0.5B-Instruct-q4f16_1-MLC'), { f16: false })).toMatchObject({ ok: false, reason: expect.stringContaining('shader-f16') });
  });

  it('names models briefly for the UI', () => {
    expect(shortName('Qwen2.5-1.5B-Instruct-q4f32_1-MLC')).toBe('Qwen2.5 1.5B');
    expect(shortName('SmolLM2-360M-Instruct-q4f16_1-MLC')).toBe('SmolLM2 360M');
    expect(shortName('gemma-2-2b-it-q4f32_1-MLC-1k')).toBe('gemma-2 2b (1k)');
  });

  it('rejects an unknown id with a message naming it', () => {
    expect(() => requireModel('Nope-1B')).toThrow(/Unknown model id "Nope-1B"/);
  });
});

describe('presets', () => {
  it('every preset model exists, and the f32 list has no f16 build', () => {
    for (const p of PRESETS) {
      for (const id of [...p.f16, ...p.f32]) expect(findModel(id), id).toBeDefined();
      expect(p.f32.every((id) => !requireModel(id).needsF16), p.id).toBe(true);
      expect(p.f16).toHaveLength(p.f32.length);
    }
  });

  it('are sized for real devices: Tiny ≈1.5 GB, Best quality ≈6+ GB with f16; sizes come from the catalog', () => {
    const [tiny, balanced, best] = resolvePresets({ f16: true });
    expect(tiny!.memoryMB).toBeGreaterThan(1200);
    expect(tiny!.memoryMB).toBeLessThan(1700);
    expect(balanced!.memoryMB).toBeGreaterThan(tiny!.memoryMB);
    expect(best!.memoryMB).toBeGreaterThan(6000);
    expect(best!.memoryMB).toBe(best!.models.reduce((n, m) => n + m.vramMB, 0));
    expect(tiny!.models).toHaveLength(3);
  });

  it('without shader-f16 resolve to f32 builds that need more memory', () => {
    const f16 = resolvePreset(PRESETS[1]!, { f16: true });
    const f32 = resolvePreset(PRESETS[1]!, { f16: false });
    expect(f32.precision).toBe('f32');
    expect(f32.models.every((m) => m.quantization.includes('f32'))).toBe(true);
    expect(f32.memoryMB).toBeGreaterThan(f16.memoryMB);
    expect(f32.blocked).toBeUndefined();
  });

  it('flag swapping above the budget, block a model that cannot fit, and recommend the largest that fits (never Best automatically)', () => {
    const tight = resolvePresets({ f16: false, memoryBudgetMB: 2000 });
    expect(tight.find((p) => p.id === 'tiny')!.swaps).toBe(true);
    expect(tight.find((p) => p.id === 'best')!.blocked).toMatch(/needs .* GPU memory/);
    expect(recommendPreset(tight)).toBe('tiny');
    expect(recommendPreset(resolvePresets({ f16: true }))).toBe('balanced');
    expect(recommendPreset(resolvePresets({ f16: true, memoryBudgetMB: 2500 }))).toBe('tiny'); // Balanced f16 needs 2.8 GB
  });
});
