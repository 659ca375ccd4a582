/**
 * The memory planner: pure functions that decide, before any byte is downloaded, which model ids to load and
 * whether they all fit in GPU memory at once.
 *
 * 1. `resolveModel` turns what the user asked for (an exact WebLLM id, or a family such as
 *    `Qwen2.5-0.5B-Instruct`) into a model record, picking the `q4f32_1` build when the GPU lacks `shader-f16`.
 * 2. `planMemory` sums `vram_required_MB` against a budget: **all-fit** (load everything, run in parallel),
 *    **swap** (each fits alone but not all together: load a batch, run its calls, unload, load the next, with a
 *    schedule over the protocol's phases that needs the fewest loads), or a `CANNOT_FIT` error.
 *
 * Budget: WebGPU does not expose how much memory a GPU has. `defaultMemoryBudgetMB` assumes 4096 MB (what an
 * 8 GB laptop with integrated graphics can give a page without the tab being killed), and half the RAM when the
 * browser reports less than 8 GB (`navigator.deviceMemory`, phones and small laptops). Pass `memoryBudgetMB`
 * to override.
 */
import { runtimeError } from '../engine/errors.js';
import { needsShaderF16, parseModelId, type ModelRecordLike } from '../engine/model-record.js';
import { critiquesPerCritic, type AttentionTopology } from '../protocol/topology.js';

export const DEFAULT_MEMORY_BUDGET_MB = 4096;

/** 4096 MB, or half the reported RAM when the browser says it has less than 8 GB (minimum 1024 MB). */
export function defaultMemoryBudgetMB(deviceMemoryGB?: number): number {
  if (deviceMemoryGB === undefined || !Number.isFinite(deviceMemoryGB) || deviceMemoryGB <= 0 || deviceMemoryGB >= 8) {
    return DEFAULT_MEMORY_BUDGET_MB;
  }
  return Math.max(1024, Math.round((deviceMemoryGB * 1024) / 2));
}

// ---------------------------------------------------------------------------------------------
// Model resolution

export interface ResolvedModel {
  /** The exact model id that will be loaded. */
  id: string;
  record: ModelRecordLike;
  /** GPU memory the model needs (its `vram_required_MB`, 0 if the record has none). */
  vramMB: number;
  /** What the user asked for. */
  requested: string;
  /** Why this id: 'exact' id, or picked from the family. */
  via: 'exact' | 'family';
  /** Set when the family pick avoided f16 builds because the GPU lacks shader-f16. */
  avoidedF16?: boolean;
}

/** Quantizations in order of preference within a family: small 4-bit builds first. */
const QUANT_PREFERENCE = ['q4f16_1', 'q4f32_1', 'q4f16_0', 'q4f32_0', 'q3f16_1', 'q0f16', 'q0f32'];

function quantRank(quant: string): number {
  const i = QUANT_PREFERENCE.indexOf(quant);
  return i === -1 ? QUANT_PREFERENCE.length : i;
}

/**
 * Resolves a requested model against a model list.
 * - An exact id is used as is; if it needs shader-f16 and the GPU lacks it, `F16_MISSING` names the f32 sibling.
 * - Otherwise the request is read as a family (`<family>` or `<family>-1k` for the 1k-context builds): chat
 *   models of that family are candidates, f16 builds are dropped when `f16` is false, and the preferred
 *   quantization wins (q4f16_1, then q4f32_1, …).
 * - Unknown names fail with `UNKNOWN_MODEL` and the closest id as a suggestion.
 */
export function resolveModel(requested: string, models: readonly ModelRecordLike[], gpu: { f16: boolean }): ResolvedModel {
  if (typeof requested !== 'string' || requested.trim() === '') {
    throw runtimeError('BAD_SPEC', { field: 'model' }, { message: 'model must be a non-empty string: a WebLLM model id (e.g. "Qwen2.5-0.5B-Instruct-q4f32_1-MLC") or a family (e.g. "Qwen2.5-0.5B-Instruct").' });
  }
  const name = requested.trim();
  const exact = models.find((r) => r.model_id === name);
  if (exact) {
    if (!gpu.f16 && needsShaderF16(exact)) {
      throw runtimeError('F16_MISSING', { model: name, suggestion: f32Sibling(exact, models) });
    }
    return { id: exact.model_id, record: exact, vramMB: exact.vram_required_MB ?? 0, requested: name, via: 'exact' };
  }

  const wants1k = /-1k$/i.test(name);
  const family = (wants1k ? name.slice(0, -3) : name).toLowerCase();
  const candidates = models.filter((r) => {
    const parsed = parseModelId(r.model_id);
    if (!parsed || parsed.family.toLowerCase() !== family) return false;
    if (r.model_type !== undefined && r.model_type !== 0 && r.model_type !== 2) return false; // not embeddings
    return wants1k ? parsed.suffix.toLowerCase() === '-1k' : parsed.suffix === '';
  });
  if (candidates.length === 0) {
    throw runtimeError('UNKNOWN_MODEL', { model: name, suggestion: closestId(name, models) });
  }
  const usable = gpu.f16 ? candidates : candidates.filter((r) => !needsShaderF16(r));
  if (usable.length === 0) {
    throw runtimeError('F16_MISSING', { model: name }, {
      message: `Every build of "${name}" (${candidates.map((r) => r.model_id).join(', ')}) needs the GPU feature shader-f16, which this GPU does not offer. Pick a model family with a q4f32_1 build (e.g. "Qwen2.5-0.5B-Instruct", "Llama-3.2-1B-Instruct", "SmolLM2-360M-Instruct").`,
    });
  }
  const best = [...usable].sort(
    (a, b) =>
      quantRank(parseModelId(a.model_id)!.quant) - quantRank(parseModelId(b.model_id)!.quant) ||
      (a.vram_required_MB ?? 0) - (b.vram_required_MB ?? 0) ||
      a.model_id.localeCompare(b.model_id),
  )[0]!;
  const avoidedF16 = !gpu.f16 && candidates.some((r) => needsShaderF16(r));
  return { id: best.model_id, record: best, vramMB: best.vram_required_MB ?? 0, requested: name, via: 'family', ...(avoidedF16 ? { avoidedF16 } : {}) };
}

/** The f32 build of the same family and suffix, for F16_MISSING messages. */
function f32Sibling(record: ModelRecordLike, models: readonly ModelRecordLike[]): string | undefined {
  const parsed = parseModelId(record.model_id);
  if (!parsed) return undefined;
  const siblings = models.filter((r) => {
    const p = parseModelId(r.model_id);
    return p && p.family === parsed.family && p.suffix === parsed.suffix && !needsShaderF16(r);
  });
  siblings.sort((a, b) => quantRank(parseModelId(a.model_id)!.quant) - quantRank(parseModelId(b.model_id)!.quant));
  return siblings[0]?.model_id;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The id or family closest to `name` (edit distance, case-insensitive), if reasonably close. */
export function closestId(name: string, models: readonly ModelRecordLike[]): string | undefined {
  const target = name.toLowerCase();
  let best: { text: string; distance: number } | undefined;
  const names = new Set<string>();
  for (const r of models) {
    names.add(r.model_id);
    const family = parseModelId(r.model_id)?.family;
    if (family) names.add(family);
  }
  for (const text of names) {
    const distance = editDistance(target, text.toLowerCase());
    if (!best || distance < best.distance) best = { text, distance };
  }
  return best && best.distance <= Math.max(3, Math.floor(name.length / 3)) ? best.text : undefined;
}

// ---------------------------------------------------------------------------------------------
// Protocol phases: who needs which model when

/** One phase of a protocol run and how many calls each model (pool key) serves in it. */
export interface PhaseDemand {
  /** e.g. "L1:propose". */
  id: string;
  layer: number;
  role: string;
  /** Pool key → number of calls in this phase (keys with 0 calls are left out). */
  calls: Record<string, number>;
}

export interface ProtocolShape {
  /** Each agent's model key (pool key); agents may share one. */
  agents: { name: string; model: string }[];
  /** The aggregator's model key. */
  aggregator: { model: string };
  layers?: number;
  attention?: AttentionTopology;
  residual?: boolean;
}

/**
 * The phases of an Attention-MoA run (attention-moa.md): per layer propose → critique → refine → aggregate, and
 * a residual call from layer 2 on. Phases are barriers: a phase starts only when the previous one finished.
 */
export function protocolPhases(shape: ProtocolShape): PhaseDemand[] {
  const layers = shape.layers ?? 1;
  if (!Number.isInteger(layers) || layers < 1) {
    throw runtimeError('BAD_SPEC', { field: 'layers' }, { message: `layers must be a whole number ≥ 1, got ${String(shape.layers)}` });
  }
  if (!Array.isArray(shape.agents) || shape.agents.length === 0) {
    throw runtimeError('BAD_SPEC', { field: 'agents' }, { message: 'agents must be a non-empty array of { name, model }' });
  }
  const attention = shape.attention ?? 'full';
  const residual = shape.residual ?? true;
  const n = shape.agents.length;
  const perAgent = (count: number) => {
    const calls: Record<string, number> = {};
    for (const agent of shape.agents) calls[agent.model] = (calls[agent.model] ?? 0) + count;
    return calls;
  };
  const critiquesEach = critiquesPerCritic(attention, n);
  const phases: PhaseDemand[] = [];
  for (let layer = 1; layer <= layers; layer++) {
    phases.push({ id: `L${layer}:propose`, layer, role: 'propose', calls: perAgent(1) });
    if (critiquesEach > 0) {
      phases.push({ id: `L${layer}:critique`, layer, role: 'critique', calls: perAgent(critiquesEach) });
      phases.push({ id: `L${layer}:refine`, layer, role: 'refine', calls: perAgent(1) });
    }
    phases.push({ id: `L${layer}:aggregate`, layer, role: 'aggregate', calls: { [shape.aggregator.model]: 1 } });
    if (residual && layer >= 2) phases.push({ id: `L${layer}:residual`, layer, role: 'residual', calls: { [shape.aggregator.model]: 1 } });
  }
  return phases;
}

// ---------------------------------------------------------------------------------------------
// The plan

export interface PlannedModel {
  key: string;
  vramMB: number;
}

/** One step of a swap schedule: make `resident` the loaded set (unload, then load), then run `run`'s calls. */
export interface SwapBatch {
  unload: string[];
  load: string[];
  /** Loaded during this batch (`unchanged ∪ load`). */
  resident: string[];
  /** Models whose calls of this phase run in this batch. */
  run: string[];
}

export interface PhasePlan {
  phase: string;
  batches: SwapBatch[];
  /** Unloaded when the phase ends: models loaded only for this phase. */
  unloadAfter: string[];
  /** Loaded when the phase ends (kept for later phases). */
  keep: string[];
  loads: number;
}

export interface MemoryPlanInput {
  models: PlannedModel[];
  budgetMB: number;
  /** The phases to schedule for swap mode; default: one phase needing every model once. */
  phases?: PhaseDemand[];
  /** 'exact' (default; greedy anyway above 8 models) or 'greedy' (Belady eviction), for comparison. */
  strategy?: 'exact' | 'greedy';
}

export type MemoryPlan =
  | { mode: 'all-fit'; budgetMB: number; totalMB: number; models: PlannedModel[]; loads: number }
  | {
      mode: 'swap';
      budgetMB: number;
      totalMB: number;
      models: PlannedModel[];
      /** Schedule over one pass of the phases. */
      schedule: PhasePlan[];
      /** Model loads in one pass of the phases (the first load of each model included). */
      loads: number;
      /** Loads beyond one per model: the price of swapping. */
      reloads: number;
    };

/** Above this many distinct models the exact search gets slow; a greedy schedule is used instead. */
const EXACT_SEARCH_MAX_MODELS = 8;

/**
 * Plans memory: all-fit, swap (with a schedule that minimises loads over the phases, then the number of
 * batches), or throws `CANNOT_FIT` for the first model that exceeds the budget alone. Pure; throws on bad input.
 */
export function planMemory(input: MemoryPlanInput): MemoryPlan {
  const { budgetMB } = input;
  if (typeof budgetMB !== 'number' || !Number.isFinite(budgetMB) || budgetMB <= 0) {
    throw runtimeError('BAD_SPEC', { field: 'memoryBudgetMB' }, { message: `memoryBudgetMB must be a positive number of megabytes, got ${String(budgetMB)}` });
  }
  const seen = new Set<string>();
  for (const m of input.models) {
    if (seen.has(m.key)) throw runtimeError('BAD_SPEC', { field: 'models' }, { message: `model key "${m.key}" appears twice; keys must be unique` });
    seen.add(m.key);
    if (typeof m.vramMB !== 'number' || !Number.isFinite(m.vramMB) || m.vramMB < 0) {
      throw runtimeError('BAD_SPEC', { field: 'vramMB', model: m.key }, { message: `vramMB of "${m.key}" must be a number ≥ 0, got ${String(m.vramMB)}` });
    }
  }
  const tooBig = [...input.models].sort((a, b) => b.vramMB - a.vramMB).find((m) => m.vramMB > budgetMB);
  if (tooBig) throw runtimeError('CANNOT_FIT', { model: tooBig.key, requiredMB: tooBig.vramMB, budgetMB });

  const totalMB = input.models.reduce((sum, m) => sum + m.vramMB, 0);
  const models = input.models.map((m) => ({ ...m }));
  if (totalMB <= budgetMB) return { mode: 'all-fit', budgetMB, totalMB, models, loads: models.length };

  const phases = (input.phases ?? [{ id: 'all', layer: 1, role: 'all', calls: Object.fromEntries(models.map((m) => [m.key, 1])) }])
    .map((p) => ({ ...p, needed: Object.keys(p.calls).filter((k) => (p.calls[k] ?? 0) > 0) }));
  for (const p of phases) {
    for (const key of p.needed) {
      if (!seen.has(key)) throw runtimeError('BAD_SPEC', { field: 'phases', model: key }, { message: `phase ${p.id} needs model "${key}", which is not among the planned models` });
    }
  }
  const schedule = scheduleSwaps(models, budgetMB, phases, input.strategy ?? 'exact');
  const loads = schedule.reduce((sum, p) => sum + p.loads, 0);
  const used = new Set(phases.flatMap((p) => p.needed));
  return { mode: 'swap', budgetMB, totalMB, models, schedule, loads, reloads: loads - used.size };
}

// ---------------------------------------------------------------------------------------------
// Swap scheduling
//
// Model: phases are barriers; within a phase every needed model runs its calls once, in some batch. A model that
// is resident at a phase boundary and kept is never evicted mid-phase. The state between phases is the resident
// set; a transition R → S costs one load per needed model not in R. It is feasible when S fits, S ⊆ R ∪ N, and
// every model loaded only for this phase fits next to the kept ones (R ∩ S). Dynamic programming over resident
// sets finds the fewest loads (then the fewest batches). test/unit/core/runtime/memory-plan.test.ts checks the result
// against a brute-force search over every load/evict sequence.

interface Phase {
  id: string;
  needed: string[];
}

function scheduleSwaps(models: PlannedModel[], budget: number, phases: Phase[], strategy: 'exact' | 'greedy'): PhasePlan[] {
  const keys = models.map((m) => m.key);
  const size = new Map(models.map((m) => [m.key, m.vramMB]));
  if (strategy === 'greedy' || keys.length > EXACT_SEARCH_MAX_MODELS) return greedySchedule(size, budget, phases);

  const bit = new Map(keys.map((k, i) => [k, 1 << i]));
  // Every subset's size and members, precomputed (at most 2^8 subsets).
  const subsetSize = Array.from({ length: 1 << keys.length }, (_, mask) => keys.reduce((sum, k, i) => (mask & (1 << i) ? sum + size.get(k)! : sum), 0));
  const members = Array.from({ length: 1 << keys.length }, (_, mask) => keys.filter((_, i) => mask & (1 << i)));
  const fits = (mask: number) => subsetSize[mask]! <= budget + 1e-9;
  const maskOf = (list: string[]) => list.reduce((m, k) => m | bit.get(k)!, 0);
  const listOf = (mask: number) => [...members[mask]!];
  /** Largest first, so big models get the room while it is there. */
  const bySizeDesc = (mask: number) => listOf(mask).sort((a, b) => size.get(b)! - size.get(a)! || a.localeCompare(b));

  /** The batches of one phase for the transition resident → keep, or undefined when infeasible. */
  const buildPhase = (phase: Phase, resident: number, keep: number, need: number): PhasePlan | undefined => {
    const kept = resident & keep;
    const temporary = need & ~resident & ~keep; // loaded, run and unloaded within the phase
    const persistent = need & keep & ~resident; // loaded this phase and kept
    for (const key of listOf(temporary)) if (!fits(kept | bit.get(key)!)) return undefined;

    const batches: SwapBatch[] = [];
    let previous = resident;
    let current = resident & (need | keep); // residents neither needed now nor kept go first
    let served = 0;
    let pendingTemporary = bySizeDesc(temporary);
    let pendingPersistent = bySizeDesc(persistent);
    for (;;) {
      let batch = current;
      const fill = (pending: string[]) =>
        pending.filter((key) => {
          if (!fits(batch | bit.get(key)!)) return true;
          batch |= bit.get(key)!;
          return false;
        });
      pendingTemporary = fill(pendingTemporary);
      // Kept models are loaded only once no temporary one needs the room.
      if (pendingTemporary.length === 0) pendingPersistent = fill(pendingPersistent);
      const run = batch & need & ~served;
      if (run === 0 && (pendingTemporary.length || pendingPersistent.length)) return undefined; // no progress possible
      batches.push({ unload: listOf(previous & ~batch), load: listOf(batch & ~previous), resident: listOf(batch), run: listOf(run) });
      served |= run;
      previous = batch;
      if (pendingTemporary.length === 0 && pendingPersistent.length === 0) break;
      current = batch & keep;
    }
    if ((served & need) !== need) return undefined;
    return { phase: phase.id, batches, unloadAfter: listOf(previous & ~keep), keep: listOf(keep), loads: batches.reduce((n, b) => n + b.load.length, 0) };
  };

  // dp: resident set after the phase → the best way to get there
  type Entry = { loads: number; batches: number; plans: PhasePlan[] };
  const better = (a: Entry, b: Entry | undefined) => !b || a.loads < b.loads || (a.loads === b.loads && a.batches < b.batches);
  let dp = new Map<number, Entry>([[0, { loads: 0, batches: 0, plans: [] }]]);
  for (const phase of phases) {
    const need = maskOf(phase.needed);
    const next = new Map<number, Entry>();
    for (const [resident, entry] of dp) {
      const candidates = resident | need;
      for (let keep = candidates; ; keep = (keep - 1) & candidates) {
        if (fits(keep)) {
          const built = buildPhase(phase, resident, keep, need);
          if (built) {
            const candidate = { loads: entry.loads + built.loads, batches: entry.batches + built.batches.length, plans: [...entry.plans, built] };
            if (better(candidate, next.get(keep))) next.set(keep, candidate);
          }
        }
        if (keep === 0) break;
      }
    }
    dp = next;
  }
  let best: Entry | undefined;
  for (const entry of dp.values()) if (better(entry, best)) best = entry;
  return best!.plans;
}

/** For very many models: load in plan order, evict what is needed farthest in the future (Belady). */
function greedySchedule(size: Map<string, number>, budget: number, phases: Phase[]): PhasePlan[] {
  let resident: string[] = [];
  const plans: PhasePlan[] = [];
  const nextUse = (key: string, from: number) => {
    for (let t = from; t < phases.length; t++) if (phases[t]!.needed.includes(key)) return t;
    return Infinity;
  };
  const total = (list: string[]) => list.reduce((s, k) => s + size.get(k)!, 0);
  phases.forEach((phase, t) => {
    const batches: SwapBatch[] = [];
    const todo = phase.needed.filter((k) => !resident.includes(k));
    const firstRun = phase.needed.filter((k) => resident.includes(k));
    const served = new Set<string>();
    let run = [...firstRun];
    let previous = [...resident];
    const order = [...todo].sort((a, b) => nextUse(a, t + 1) - nextUse(b, t + 1) || a.localeCompare(b)).reverse();
    for (const key of order) {
      if (total(resident) + size.get(key)! > budget) {
        if (run.length) {
          batches.push({ unload: previous.filter((k) => !resident.includes(k)), load: resident.filter((k) => !previous.includes(k)), resident: [...resident], run });
          run.forEach((k) => served.add(k));
          previous = [...resident];
          run = [];
        }
        const evictable = resident
          .filter((k) => !phase.needed.includes(k) || served.has(k))
          .sort((a, b) => nextUse(b, t + 1) - nextUse(a, t + 1));
        while (total(resident) + size.get(key)! > budget && evictable.length) {
          const victim = evictable.shift()!;
          resident = resident.filter((k) => k !== victim);
        }
      }
      resident.push(key);
      run.push(key);
    }
    if (run.length) {
      batches.push({ unload: previous.filter((k) => !resident.includes(k)), load: resident.filter((k) => !previous.includes(k)), resident: [...resident], run });
      run.forEach((k) => served.add(k));
    }
    plans.push({ phase: phase.id, batches, unloadAfter: [], keep: [...resident], loads: batches.reduce((n, b) => n + b.load.length, 0) });
  });
  return plans;
}
