import { describe, expect, it } from 'vitest';
import { webllmModels, parseModelId } from '@attention-moa/core';
import { ModelCatalog, canRun, estimateParamsB, loadModelCatalog, shortName } from '../../../../demo/src/catalog/model-catalog.js';

const catalog = await loadModelCatalog();

describe('the catalog', () => {
  it('is the runtime’s copy of WebLLM’s list, chat models only, with WebLLM’s figures', async () => {
    const records = await webllmModels();
    const chat = records.filter((r) => (r.model_type ?? 0) === 0);
    expect(catalog.models.map((m) => m.id)).toEqual(chat.map((r) => r.model_id));
    const record = chat.find((r) => r.model_id === 'SmolLM2-360M-Instruct-q4f32_1-MLC')!;
    const model = catalog.require('SmolLM2-360M-Instruct-q4f32_1-MLC');
    expect(model.vramMB).toBe(Math.round(record.vram_required_MB!));
    expect(model.url).toBe(`${record.model}/resolve/main/`);
    expect(catalog.find('snowflake-arctic-embed-m-q0f32-MLC-b32')).toBeUndefined();
    expect(catalog.find('Phi-3.5-vision-instruct-q4f32_1-MLC')).toBeUndefined();
  });
});

describe('model facts', () => {
  it('reads family, quantization and context variant from the id', () => {
    expect(catalog.require('Llama-3.2-1B-Instruct-q4f32_1-MLC')).toMatchObject({ family: 'Llama-3.2-1B-Instruct', quantization: 'q4f32_1', shortContext: false, contextWindow: 4096 });
    expect(catalog.require('gemma-2-2b-it-q4f16_1-MLC-1k')).toMatchObject({ family: 'gemma-2-2b-it', quantization: 'q4f16_1', shortContext: true, contextWindow: 1024 });
    expect(parseModelId('SmolLM2-135M-Instruct-q0f32-MLC')?.quant).toBe('q0f32');
  });

  it('estimates parameters from the name, with corrections where the name rounds', () => {
    expect(estimateParamsB('SmolLM2-360M-Instruct')).toBeCloseTo(0.36);
    expect(estimateParamsB('Qwen2.5-1.5B-Instruct')).toBe(1.5);
    expect(estimateParamsB('stablelm-2-zephyr-1_6b')).toBe(1.6);
    expect(estimateParamsB('Llama-3.2-1B-Instruct')).toBe(1.24);
    expect(estimateParamsB('Phi-3.5-mini-instruct')).toBe(3.82);
    // every chat model gets a download estimate
    expect(catalog.models.filter((m) => !Number.isFinite(m.downloadMB)).map((m) => m.id)).toEqual([]);
  });

  it('estimates downloads from bits per weight: f32 scales cost more than f16, q0 far more', () => {
    const f16 = catalog.require('Qwen2.5-1.5B-Instruct-q4f16_1-MLC');
    const f32 = catalog.require('Qwen2.5-1.5B-Instruct-q4f32_1-MLC');
    expect(f16.downloadMB).toBeGreaterThan(700);
    expect(f16.downloadMB).toBeLessThan(1000);
    expect(f32.downloadMB).toBeGreaterThan(f16.downloadMB);
    expect(catalog.require('SmolLM2-135M-Instruct-q0f32-MLC').downloadMB).toBeGreaterThan(catalog.require('SmolLM2-360M-Instruct-q4f32_1-MLC').downloadMB);
  });

  it('treats every f16 build as needing shader-f16, even where WebLLM does not list it', () => {
    expect(catalog.require('Qwen2.5-0.5B-Instruct-q4f16_1-MLC').needsF16).toBe(true); // not listed in required_features
    expect(catalog.require('SmolLM2-360M-Instruct-q4f16_1-MLC').needsF16).toBe(true); // listed
    expect(catalog.require('Qwen2.5-0.5B-Instruct-q4f32_1-MLC').needsF16).toBe(false);
  });

  it('maps f16 builds to their f32 variant when there is one', () => {
    expect(catalog.f32Variant('Llama-3.2-1B-Instruct-q4f16_1-MLC')?.id).toBe('Llama-3.2-1B-Instruct-q4f32_1-MLC');
    expect(catalog.f32Variant('SmolLM2-135M-Instruct-q0f16-MLC')?.id).toBe('SmolLM2-135M-Instruct-q0f32-MLC');
    expect(catalog.f32Variant('gemma-2-2b-it-q4f16_1-MLC-1k')?.id).toBe('gemma-2-2b-it-q4f32_1-MLC-1k');
    expect(catalog.f32Variant('gemma3-1b-it-q4f16_1-MLC')).toBeUndefined();
  });

  it('filters the picker by shader-f16 and by a memory budget, and leaves out base models', () => {
    const noF16 = catalog.pickable({ f16: false });
    expect(noF16.length).toBeGreaterThan(30);
    expect(noF16.every((m) => !/f16/.test(m.quantization))).toBe(true);
    expect(noF16.some((m) => m.id.includes('-Base-'))).toBe(false);
    expect(catalog.pickable({ f16: true }).length).toBeGreaterThan(noF16.length);
    const small = catalog.pickable({ f16: true, memoryBudgetMB: 1000 });
    expect(small.every((m) => m.vramMB <= 1000)).toBe(true);
    expect(canRun(catalog.require('Qwen2.5-7B-Instruct-q4f32_1-MLC'), { f16: false, memoryBudgetMB: 4096 })).toMatchObject({ ok: false, reason: expect.stringContaining('GPU memory') });
    expect(canRun(catalog.require('Qwen2.5-0.5B-Instruct-q4f16_1-MLC'), { f16: false })).toMatchObject({ ok: false, reason: expect.stringContaining('shader-f16') });
  });

  it('names models briefly for the UI', () => {
    expect(shortName('Qwen2.5-1.5B-Instruct-q4f32_1-MLC')).toBe('Qwen2.5 1.5B');
    expect(shortName('SmolLM2-360M-Instruct-q4f16_1-MLC')).toBe('SmolLM2 360M');
    expect(shortName('gemma-2-2b-it-q4f32_1-MLC-1k')).toBe('gemma-2 2b (1k)');
  });

  it('rejects an unknown id with a message naming it', () => {
    expect(() => catalog.require('Nope-1B')).toThrow(/Unknown model id "Nope-1B"/);
    expect(new ModelCatalog([]).models).toEqual([]);
  });
});
