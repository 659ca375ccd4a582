import { describe, expect, it } from 'vitest';
import { loadModelCatalog } from '../../../../demo/src/catalog/model-catalog.js';
import { PRESETS, recommendPreset, resolvePreset, resolvePresets } from '../../../../demo/src/catalog/presets.js';

const catalog = await loadModelCatalog();

describe('presets', () => {
  it('every preset model exists, and the f32 list has no f16 build', () => {
    for (const p of PRESETS) {
      for (const id of [...p.f16, ...p.f32]) expect(catalog.find(id), id).toBeDefined();
      expect(p.f32.every((id) => !catalog.require(id).needsF16), p.id).toBe(true);
      expect(p.f16).toHaveLength(p.f32.length);
    }
  });

  it('are sized for real devices: Tiny ≈1.5 GB, Best quality ≈6+ GB with f16; sizes come from the catalog', () => {
    const [tiny, balanced, best] = resolvePresets({ f16: true }, catalog);
    expect(tiny!.memoryMB).toBeGreaterThan(1200);
    expect(tiny!.memoryMB).toBeLessThan(1700);
    expect(balanced!.memoryMB).toBeGreaterThan(tiny!.memoryMB);
    expect(best!.memoryMB).toBeGreaterThan(6000);
    expect(best!.memoryMB).toBe(best!.models.reduce((n, m) => n + m.vramMB, 0));
    expect(tiny!.models).toHaveLength(3);
  });

  it('without shader-f16 resolve to f32 builds that need more memory', () => {
    const f16 = resolvePreset(PRESETS[1]!, { f16: true }, catalog);
    const f32 = resolvePreset(PRESETS[1]!, { f16: false }, catalog);
    expect(f32.precision).toBe('f32');
    expect(f32.models.every((m) => m.quantization.includes('f32'))).toBe(true);
    expect(f32.memoryMB).toBeGreaterThan(f16.memoryMB);
    expect(f32.blocked).toBeUndefined();
  });

  it('flag swapping above the budget, block a model that cannot fit, and recommend the largest that fits (never Best automatically)', () => {
    const tight = resolvePresets({ f16: false, memoryBudgetMB: 2000 }, catalog);
    expect(tight.find((p) => p.id === 'tiny')!.swaps).toBe(true);
    expect(tight.find((p) => p.id === 'best')!.blocked).toMatch(/needs .* GPU memory/);
    expect(recommendPreset(tight)).toBe('tiny');
    expect(recommendPreset(resolvePresets({ f16: true }, catalog))).toBe('balanced');
    expect(recommendPreset(resolvePresets({ f16: true, memoryBudgetMB: 2500 }, catalog))).toBe('tiny'); // Balanced f16 needs 2.8 GB
  });
});
