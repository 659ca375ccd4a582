import { describe, expect, it } from 'vitest';
import { WASM_MODEL_CATALOG, wasmCatalogModel } from '../../../../../packages/core/src/engine/wllama/wllama-catalog.js';
import { WASM_MAX_MODEL_BYTES } from '../../../../../packages/core/src/runtime/backend-choice.js';

describe('WASM model catalog', () => {
  it('lists real Hugging Face GGUF files with size and licence, all fitting the WASM heap', () => {
    expect(WASM_MODEL_CATALOG.length).toBeGreaterThanOrEqual(3);
    expect(new Set(WASM_MODEL_CATALOG.map((m) => m.id)).size).toBe(WASM_MODEL_CATALOG.length);
    for (const m of WASM_MODEL_CATALOG) {
      expect(m.url).toBe(`https://huggingface.co/${m.repo}/resolve/main/${m.file}`);
      expect(m.file).toMatch(/\.gguf$/);
      expect(m.approxBytes).toBeGreaterThan(1e7);
      expect(m.approxBytes).toBeLessThan(WASM_MAX_MODEL_BYTES);
      expect(m.license.length).toBeGreaterThan(3);
      expect(m.suggestedContextWindow).toBeLessThanOrEqual(m.trainingContext);
    }
  });
  it('finds a model by id, or names the known ids', () => {
    expect(wasmCatalogModel('smollm2-360m-instruct-q8_0').approxBytes).toBe(386_000_000);
    expect(() => wasmCatalogModel('gpt-5')).toThrow(/No WASM catalog model "gpt-5"\. Known: smollm2-135m/);
  });
});
