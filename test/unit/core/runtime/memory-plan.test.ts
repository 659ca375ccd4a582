import { describe, expect, it } from 'vitest';
import {
  closestId,
  defaultMemoryBudgetMB,
  planMemory,
  protocolPhases,
  resolveModel,
  type MemoryPlan,
  type PhaseDemand,
  type PlannedModel,
} from '../../../../packages/core/src/runtime/memory-plan.js';
import { needsShaderF16, parseModelId, type ModelRecordLike } from '../../../../packages/core/src/engine/model-record.js';
import { WEBLLM_PREBUILT_MODELS } from '../../../../packages/core/src/engine/webllm/webllm-catalog.js';
import { RuntimeError } from '../../../../packages/core/src/engine/errors.js';

const catalog = WEBLLM_PREBUILT_MODELS;

function caught(fn: () => unknown): RuntimeError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RuntimeError);
    return error as RuntimeError;
  }
  throw new Error('expected a RuntimeError, nothing was thrown');
}

describe('resolveModel: exact ids and families against the whole WebLLM catalog', () => {
  const chatFamilies = new Map<string, ModelRecordLike[]>();
  for (const record of catalog) {
    const parsed = parseModelId(record.model_id)!;
    if (record.model_type === 1) continue; // embeddings are not chat families
    const family = parsed.suffix === '-1k' ? `${parsed.family}-1k` : parsed.suffix === '' ? parsed.family : undefined;
    if (!family) continue;
    chatFamilies.set(family, [...(chatFamilies.get(family) ?? []), record]);
  }

  it('covers every catalog id: supported ids resolve to themselves; f16 ids without shader-f16 fail with an f32 suggestion', () => {
    let f16Failures = 0;
    for (const record of catalog) {
      expect(resolveModel(record.model_id, catalog, { f16: true })).toMatchObject({ id: record.model_id, via: 'exact' });
      if (needsShaderF16(record)) {
        const error = caught(() => resolveModel(record.model_id, catalog, { f16: false }));
        expect(error.code).toBe('F16_MISSING');
        expect(error.message).toContain(record.model_id);
        const parsed = parseModelId(record.model_id)!;
        const sibling = catalog.find((r) => {
          const p = parseModelId(r.model_id)!;
          return p.family === parsed.family && p.suffix === parsed.suffix && !needsShaderF16(r);
        });
        if (sibling) {
          expect(error.details.suggestion, record.model_id).toBeDefined();
          expect(needsShaderF16(catalog.find((r) => r.model_id === error.details.suggestion)!)).toBe(false);
          expect(error.message).toContain(error.details.suggestion!);
        }
        f16Failures++;
      } else {
        expect(resolveModel(record.model_id, catalog, { f16: false }).id).toBe(record.model_id);
      }
    }
    expect(f16Failures).toBeGreaterThan(50);
  });

  it('covers every family: q4f16_1 with shader-f16, q4f32_1 without, never an f16 build without shader-f16', () => {
    expect(chatFamilies.size).toBeGreaterThan(40);
    for (const [family, members] of chatFamilies) {
      const quants = members.map((r) => parseModelId(r.model_id)!.quant);
      const withF16 = resolveModel(family, catalog, { f16: true });
      expect(withF16.via).toBe('family');
      expect(members.map((r) => r.model_id)).toContain(withF16.id);
      if (quants.includes('q4f16_1')) expect(parseModelId(withF16.id)!.quant, family).toBe('q4f16_1');

      const usable = members.filter((r) => !needsShaderF16(r));
      if (usable.length === 0) {
        expect(caught(() => resolveModel(family, catalog, { f16: false })).code).toBe('F16_MISSING');
        continue;
      }
      const withoutF16 = resolveModel(family, catalog, { f16: false });
      expect(needsShaderF16(withoutF16.record), family).toBe(false);
      if (quants.includes('q4f32_1')) expect(parseModelId(withoutF16.id)!.quant, family).toBe('q4f32_1');
      expect(withoutF16.avoidedF16).toBe(members.some((r) => needsShaderF16(r)) || undefined);
      expect(withoutF16.vramMB).toBe(withoutF16.record.vram_required_MB ?? 0);
    }
  });

  it('picks the documented ids for the small models this project targets', () => {
    const noF16 = { f16: false };
    expect(resolveModel('SmolLM2-360M-Instruct', catalog, noF16).id).toBe('SmolLM2-360M-Instruct-q4f32_1-MLC');
    expect(resolveModel('SmolLM2-135M-Instruct', catalog, noF16).id).toBe('SmolLM2-135M-Instruct-q0f32-MLC');
    expect(resolveModel('SmolLM2-135M-Instruct', catalog, { f16: true }).id).toBe('SmolLM2-135M-Instruct-q0f16-MLC');
    expect(resolveModel('Qwen2.5-0.5B-Instruct', catalog, noF16)).toMatchObject({ id: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', vramMB: 1060.2 });
    expect(resolveModel('qwen2.5-0.5b-instruct', catalog, noF16).id).toBe('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
    expect(resolveModel('gemma-2-2b-it-1k', catalog, noF16).id).toBe('gemma-2-2b-it-q4f32_1-MLC-1k');
    expect(resolveModel('gemma-2-2b-it', catalog, noF16).id).toBe('gemma-2-2b-it-q4f32_1-MLC');
    expect(caught(() => resolveModel('gemma3-1b-it', catalog, noF16)).code).toBe('F16_MISSING');
  });

  it('fails unknown names with UNKNOWN_MODEL and a close suggestion, and bad input with BAD_SPEC', () => {
    const typo = caught(() => resolveModel('Qwen2.5-0.5B-Instruct-q4f32-MLC', catalog, { f16: false }));
    expect(typo.code).toBe('UNKNOWN_MODEL');
    expect(typo.details.suggestion).toMatch(/^Qwen2\.5-0\.5B-Instruct/);
    expect(typo.message).toContain('Did you mean');
    const nothing = caught(() => resolveModel('totally-made-up', catalog, { f16: true }));
    expect(nothing.code).toBe('UNKNOWN_MODEL');
    expect(nothing.details.model).toBe('totally-made-up');
    expect(caught(() => resolveModel('', catalog, { f16: true })).code).toBe('BAD_SPEC');
    expect(caught(() => resolveModel('snowflake-arctic-embed-m', catalog, { f16: true })).code).toBe('UNKNOWN_MODEL');
    expect(closestId('Llama-3.2-1B-Instruc', catalog)).toBe('Llama-3.2-1B-Instruct');
  });

  it('uses a user model list instead of the prebuilt one', () => {
    const mine: ModelRecordLike[] = [
      { model: 'https://example.com/Mine-q4f16_1-MLC', model_id: 'Mine-q4f16_1-MLC', model_lib: 'https://example.com/a.wasm', vram_required_MB: 100 },
      { model: 'https://example.com/Mine-q4f32_1-MLC', model_id: 'Mine-q4f32_1-MLC', model_lib: 'https://example.com/b.wasm', vram_required_MB: 150 },
    ];
    expect(resolveModel('Mine', mine, { f16: false })).toMatchObject({ id: 'Mine-q4f32_1-MLC', vramMB: 150, avoidedF16: true });
    expect(caught(() => resolveModel('Qwen2.5-0.5B-Instruct', mine, { f16: false })).code).toBe('UNKNOWN_MODEL');
  });
});

describe('defaultMemoryBudgetMB', () => {
  it('is 4096 MB unless the browser reports less than 8 GB of RAM, then half of it (at least 1024)', () => {
    expect(defaultMemoryBudgetMB()).toBe(4096);
    expect(defaultMemoryBudgetMB(8)).toBe(4096);
    expect(defaultMemoryBudgetMB(4)).toBe(2048);
    expect(defaultMemoryBudgetMB(2)).toBe(1024);
    expect(defaultMemoryBudgetMB(0.5)).toBe(1024);
    expect(defaultMemoryBudgetMB(Number.NaN)).toBe(4096);
  });
});

describe('protocolPhases', () => {
  it('lists the phases of each layer with the calls per model; the total matches L·(n+1)² + (L−1)', () => {
    for (const n of [1, 2, 3, 4, 5]) {
      for (const layers of [1, 2, 3]) {
        const agents = Array.from({ length: n }, (_, i) => ({ name: `A${i}`, model: `m${i}` }));
        const phases = protocolPhases({ agents, aggregator: { model: 'agg' }, layers });
        const calls = phases.reduce((sum, p) => sum + Object.values(p.calls).reduce((a, b) => a + b, 0), 0);
        expect(calls).toBe(layers * (n + 1) ** 2 + (layers - 1));
        expect(phases[0]).toMatchObject({ id: 'L1:propose', layer: 1, role: 'propose' });
      }
    }
  });

  it('counts shared models once per agent and follows the topology and residual options', () => {
    const agents = [
      { name: 'A', model: 'qwen' },
      { name: 'B', model: 'qwen' },
      { name: 'C', model: 'llama' },
    ];
    const full = protocolPhases({ agents, aggregator: { model: 'qwen' }, layers: 2 });
    expect(full.map((p) => p.id)).toEqual([
      'L1:propose', 'L1:critique', 'L1:refine', 'L1:aggregate',
      'L2:propose', 'L2:critique', 'L2:refine', 'L2:aggregate', 'L2:residual',
    ]);
    expect(full[1]!.calls).toEqual({ qwen: 6, llama: 3 });
    expect(protocolPhases({ agents, aggregator: { model: 'qwen' }, attention: 'ring' })[1]!.calls).toEqual({ qwen: 4, llama: 2 });
    expect(protocolPhases({ agents, aggregator: { model: 'qwen' }, attention: 'none' }).map((p) => p.role)).toEqual(['propose', 'aggregate']);
    expect(protocolPhases({ agents, aggregator: { model: 'x' }, layers: 2, residual: false }).some((p) => p.role === 'residual')).toBe(false);
  });

  it('rejects bad shapes', () => {
    expect(caught(() => protocolPhases({ agents: [], aggregator: { model: 'x' } })).code).toBe('BAD_SPEC');
    expect(caught(() => protocolPhases({ agents: [{ name: 'A', model: 'a' }], aggregator: { model: 'x' }, layers: 0 })).message).toContain('layers');
  });
});

describe('planMemory: modes and errors', () => {
  const models = (...sizes: number[]): PlannedModel[] => sizes.map((vramMB, i) => ({ key: String.fromCharCode(65 + i), vramMB }));

  it('all-fit when the sum fits, swap when only each fits alone, CANNOT_FIT (naming the model) before anything else', () => {
    expect(planMemory({ models: models(1000, 1000, 1000), budgetMB: 3000 })).toMatchObject({ mode: 'all-fit', totalMB: 3000, loads: 3 });
    const swap = planMemory({ models: models(1000, 1000, 1000), budgetMB: 2999 });
    expect(swap.mode).toBe('swap');
    const error = caught(() => planMemory({ models: models(500, 2500, 3000), budgetMB: 2600 }));
    expect(error.code).toBe('CANNOT_FIT');
    expect(error.details).toMatchObject({ model: 'C', requiredMB: 3000, budgetMB: 2600 });
    expect(error.message).toMatch(/"C" needs about 3000 MB.*budget of 2600 MB/);
    expect(error.message).toContain('-1k');
  });

  it('plans the real f32 models of this machine kind (no shader-f16) in swap mode for a 2 GB budget', () => {
    const picks = ['Qwen2.5-0.5B-Instruct', 'Llama-3.2-1B-Instruct', 'SmolLM2-360M-Instruct'].map((family) => resolveModel(family, catalog, { f16: false }));
    expect(picks.map((p) => p.id)).toEqual(['Qwen2.5-0.5B-Instruct-q4f32_1-MLC', 'Llama-3.2-1B-Instruct-q4f32_1-MLC', 'SmolLM2-360M-Instruct-q4f32_1-MLC']);
    const planned = picks.map((p) => ({ key: p.id, vramMB: p.vramMB }));
    const phases = protocolPhases({ agents: picks.map((p, i) => ({ name: `A${i}`, model: p.id })), aggregator: { model: picks[0]!.id }, layers: 2 });
    const plan = planMemory({ models: planned, budgetMB: 2048, phases });
    expect(plan.mode).toBe('swap');
    if (plan.mode !== 'swap') return;
    expect(plan.totalMB).toBeCloseTo(1060.2 + 1128.82 + 579.61, 1);
    simulate(plan, phases, 2048);
    expect(plan.loads).toBe(bruteForceLoads(planned, 2048, phases));
    // With 4 GB they all fit at once.
    expect(planMemory({ models: planned, budgetMB: 4096, phases }).mode).toBe('all-fit');
  });

  it('rejects bad budgets, sizes, duplicate keys and phases naming unknown models', () => {
    expect(caught(() => planMemory({ models: models(1), budgetMB: 0 })).code).toBe('BAD_SPEC');
    expect(caught(() => planMemory({ models: models(1), budgetMB: Number.NaN })).message).toContain('memoryBudgetMB');
    expect(caught(() => planMemory({ models: [{ key: 'A', vramMB: -1 }], budgetMB: 10 })).message).toContain('vramMB');
    expect(caught(() => planMemory({ models: [{ key: 'A', vramMB: 1 }, { key: 'A', vramMB: 1 }], budgetMB: 10 })).message).toContain('twice');
    const phases: PhaseDemand[] = [{ id: 'p', layer: 1, role: 'propose', calls: { Z: 1 } }];
    expect(caught(() => planMemory({ models: models(5, 6), budgetMB: 10, phases })).message).toContain('"Z"');
  });
});

// ---------------------------------------------------------------------------------------------
// Swap schedules: exhaustive comparison with a brute-force search

function check(condition: boolean, message: () => string): void {
  // Plain throws, not expect(): this runs inside loops over tens of thousands of instances.
  if (!condition) throw new Error(message());
}

/** Replays a plan step by step and checks every invariant; returns the loads it performed. */
function simulate(plan: MemoryPlan, phases: PhaseDemand[], budget: number): number {
  if (plan.mode !== 'swap') throw new Error(`expected swap, got ${plan.mode}`);
  const size = new Map(plan.models.map((m) => [m.key, m.vramMB]));
  const total = (set: Set<string>) => [...set].reduce((s, k) => s + size.get(k)!, 0);
  const sameSet = (a: Iterable<string>, b: Iterable<string>) => [...a].sort().join() === [...b].sort().join();
  const resident = new Set<string>();
  let loads = 0;
  check(sameSet(plan.schedule.map((p) => p.phase), phases.map((p) => p.id)), () => 'one plan per phase');
  plan.schedule.forEach((phasePlan, t) => {
    const need = new Set(Object.keys(phases[t]!.calls).filter((k) => phases[t]!.calls[k]! > 0));
    const served = new Set<string>();
    for (const batch of phasePlan.batches) {
      for (const k of batch.unload) {
        check(resident.has(k), () => `${phasePlan.phase}: unloads ${k}, which is not loaded`);
        resident.delete(k);
      }
      for (const k of batch.load) {
        check(!resident.has(k), () => `${phasePlan.phase}: loads ${k} twice`);
        resident.add(k);
        loads++;
      }
      check(sameSet(resident, batch.resident), () => `${phasePlan.phase}: resident ${[...resident]} ≠ batch ${batch.resident}`);
      check(total(resident) <= budget + 1e-9, () => `${phasePlan.phase}: batch ${batch.resident} exceeds the budget ${budget}`);
      for (const k of batch.run) {
        check(resident.has(k) && need.has(k) && !served.has(k), () => `${phasePlan.phase}: bad run of ${k}`);
        served.add(k);
      }
    }
    check(sameSet(served, need), () => `${phasePlan.phase}: ran ${[...served]} but needs ${[...need]}`);
    for (const k of phasePlan.unloadAfter) resident.delete(k);
    check(sameSet(resident, phasePlan.keep), () => `${phasePlan.phase}: keeps ${[...resident]} ≠ ${phasePlan.keep}`);
    check(phasePlan.loads === phasePlan.batches.reduce((n, b) => n + b.load.length, 0), () => 'phase load count');
  });
  check(plan.loads === loads, () => `plan says ${plan.loads} loads, replay made ${loads}`);
  const distinct = new Set(phases.flatMap((p) => Object.keys(p.calls).filter((k) => p.calls[k]! > 0)));
  check(plan.reloads === loads - distinct.size, () => 'reload count');
  return loads;
}

/**
 * The fewest loads over every possible sequence of load / unload / run actions (0-1 BFS over
 * (phase, served, resident) states). Knows nothing about the planner's batches or phase model.
 */
function bruteForceLoads(models: PlannedModel[], budget: number, phases: PhaseDemand[]): number {
  const n = models.length;
  const full = 1 << n;
  const index = new Map(models.map((m, i) => [m.key, i]));
  const sizes = Array.from({ length: full }, (_, mask) => models.reduce((s, m, i) => (mask & (1 << i) ? s + m.vramMB : s), 0));
  const needs = phases.map((p) => Object.keys(p.calls).filter((k) => p.calls[k]! > 0).reduce((m, k) => m | (1 << index.get(k)!), 0));
  const T = phases.length;
  const encode = (t: number, served: number, resident: number) => (t * full + served) * full + resident;
  const dist = new Int32Array((T + 1) * full * full).fill(0x3fffffff);
  let current: number[] = [encode(0, 0, 0)];
  dist[current[0]!] = 0;
  // Layered 0-1 BFS: `current` holds states at distance d; zero-cost moves extend it, loads go to `next`.
  for (let d = 0; current.length; d++) {
    const next: number[] = [];
    for (let q = 0; q < current.length; q++) {
      const state = current[q]!;
      if (dist[state] !== d) continue;
      const resident = state % full;
      const served0 = Math.floor(state / full) % full;
      const t = Math.floor(state / (full * full));
      if (t === T) return d;
      const served = served0 | (resident & needs[t]!); // running what is resident is free and never hurts
      const visit = (cost: number, key: number) => {
        if (d + cost < dist[key]!) {
          dist[key] = d + cost;
          (cost === 0 ? current : next).push(key);
        }
      };
      if ((served & needs[t]!) === needs[t]!) {
        visit(0, encode(t + 1, 0, resident));
        continue;
      }
      if (served !== served0) visit(0, encode(t, served, resident));
      for (let i = 0; i < n; i++) {
        const b = 1 << i;
        if (resident & b) visit(0, encode(t, served, resident & ~b));
        else if (sizes[resident | b]! <= budget + 1e-9) visit(1, encode(t, served, resident | b));
      }
    }
    current = next;
  }
  throw new Error('no schedule exists');
}

function subsetsOf(keys: string[]): string[][] {
  const out: string[][] = [];
  for (let mask = 1; mask < 1 << keys.length; mask++) out.push(keys.filter((_, i) => mask & (1 << i)));
  return out;
}

function phasesFrom(sets: string[][]): PhaseDemand[] {
  return sets.map((set, i) => ({ id: `p${i}`, layer: 1, role: 'x', calls: Object.fromEntries(set.map((k) => [k, 1])) }));
}

describe('planMemory: swap schedules are optimal (exhaustive against brute force)', () => {
  it('3 models, sizes 1–3, every budget that forces swapping, every sequence of up to 3 phases', () => {
    const keys = ['A', 'B', 'C'];
    const sequences: string[][][] = [];
    const subsets = subsetsOf(keys);
    for (const a of subsets) {
      sequences.push([a]);
      for (const b of subsets) {
        sequences.push([a, b]);
        for (const c of subsets) sequences.push([a, b, c]);
      }
    }
    let instances = 0;
    let swaps = 0;
    for (const sa of [1, 2, 3]) for (const sb of [1, 2, 3]) for (const sc of [1, 2, 3]) {
      const models = [{ key: 'A', vramMB: sa }, { key: 'B', vramMB: sb }, { key: 'C', vramMB: sc }];
      const total = sa + sb + sc;
      for (let budget = Math.max(sa, sb, sc); budget < total; budget++) {
        for (const sequence of sequences) {
          const phases = phasesFrom(sequence);
          const plan = planMemory({ models, budgetMB: budget, phases });
          instances++;
          if (plan.mode !== 'swap') throw new Error('expected swap');
          swaps++;
          const loads = simulate(plan, phases, budget);
          const optimum = bruteForceLoads(models, budget, phases);
          if (loads !== optimum) expect({ models, budget, sequence, loads }).toEqual({ models, budget, sequence, loads: optimum });
        }
      }
    }
    expect(instances).toBeGreaterThan(10_000);
    expect(swaps).toBe(instances);
  }, 120_000);

  it('protocol-shaped runs: 2–4 agents (shared or distinct models) + an aggregator, 1–3 layers, all topologies', () => {
    const topologies = ['full', 'ring', 'self', 'none'] as const;
    const sizeSets = [[1, 1, 1, 1], [2, 1, 1, 3], [3, 2, 2, 1], [1, 2, 3, 3]];
    let checked = 0;
    for (const agentsCount of [2, 3, 4]) {
      for (const shared of [false, true]) {
        for (const aggregatorIsAgent of [false, true]) {
          for (const sizes of sizeSets) {
            const agentModels = Array.from({ length: agentsCount }, (_, i) => (shared && i === agentsCount - 1 ? 'm0' : `m${i}`));
            const aggregator = aggregatorIsAgent ? 'm0' : 'agg';
            const keys = [...new Set([...agentModels, aggregator])];
            const models = keys.map((key, i) => ({ key, vramMB: sizes[i % sizes.length]! }));
            const total = models.reduce((s, m) => s + m.vramMB, 0);
            const biggest = Math.max(...models.map((m) => m.vramMB));
            for (const layers of [1, 2, 3]) {
              for (const attention of topologies) {
                const phases = protocolPhases({ agents: agentModels.map((model, i) => ({ name: `A${i}`, model })), aggregator: { model: aggregator }, layers, attention });
                for (let budget = biggest; budget < total; budget++) {
                  const plan = planMemory({ models, budgetMB: budget, phases });
                  const loads = simulate(plan, phases, budget);
                  const optimum = bruteForceLoads(models, budget, phases);
                  if (loads !== optimum) expect({ keys, sizes, budget, layers, attention, loads }).toEqual({ keys, sizes, budget, layers, attention, loads: optimum });
                  checked++;
                }
                expect(planMemory({ models, budgetMB: total, phases }).mode).toBe('all-fit');
              }
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  }, 120_000);

  it('keeps what the next phase needs: 3 equal agents, room for 2, aggregator = agent 1 → 3 + 1 + 1 + 0 loads', () => {
    const models = ['A', 'B', 'C'].map((key) => ({ key, vramMB: 1000 }));
    const phases = protocolPhases({ agents: models.map((m) => ({ name: m.key, model: m.key })), aggregator: { model: 'A' } });
    const plan = planMemory({ models, budgetMB: 2000, phases });
    if (plan.mode !== 'swap') throw new Error('expected swap');
    expect(plan.schedule.map((p) => p.loads)).toEqual([3, 1, 1, 0]);
    expect(plan).toMatchObject({ loads: 5, reloads: 2 });
    // Every batch runs as many models in parallel as fit.
    for (const phase of plan.schedule) for (const batch of phase.batches) expect(batch.resident.length).toBeLessThanOrEqual(2);
    expect(plan.schedule[0]!.batches[0]!.run).toHaveLength(2);
  });

  it('the greedy fallback (used above 8 models) yields valid schedules, never better than the optimum', () => {
    const keys = ['A', 'B', 'C', 'D'];
    let rng = 12345;
    const random = () => ((rng = (rng * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 400; trial++) {
      const models = keys.map((key) => ({ key, vramMB: 1 + Math.floor(random() * 4) }));
      const total = models.reduce((s, m) => s + m.vramMB, 0);
      const biggest = Math.max(...models.map((m) => m.vramMB));
      if (biggest >= total) continue;
      const budget = biggest + Math.floor(random() * (total - biggest));
      const sequence = Array.from({ length: 1 + Math.floor(random() * 5) }, () => keys.filter(() => random() < 0.6)).filter((s) => s.length);
      if (!sequence.length) continue;
      const phases = phasesFrom(sequence);
      const greedy = planMemory({ models, budgetMB: budget, phases, strategy: 'greedy' });
      const loads = simulate(greedy, phases, budget);
      expect(loads).toBeGreaterThanOrEqual(bruteForceLoads(models, budget, phases));
    }
    // Eleven models (more than 8) switch to greedy by themselves and still produce a valid plan.
    const many = Array.from({ length: 11 }, (_, i) => ({ key: `m${i}`, vramMB: 100 }));
    const phases = protocolPhases({ agents: many.map((m) => ({ name: m.key, model: m.key })), aggregator: { model: 'm0' }, layers: 2 });
    simulate(planMemory({ models: many, budgetMB: 350, phases }), phases, 350);
  }, 60_000);
});
