/**
 * The swap scheduler: which waiting models to load now, and which loaded ones to unload for them, when the pool's
 * models do not all fit in GPU memory together. Pure: it reads a snapshot of the pool's slots (a slot is one worker
 * hosting one distinct model) and the memory plan, and returns a decision the pool carries out.
 *
 * The plan (memory-plan.ts) fixed an order over the protocol's phases with the fewest loads; requests follow it
 * loosely (agents get dropped, calls carry no phase), so the scheduler prefers the plan's choices and falls back to
 * idle time so that nothing waits forever for calls that will not come.
 */
import type { PhaseDemand, PhasePlan } from './memory-plan.js';

export type SlotState = 'unloaded' | 'loading' | 'loaded' | 'unloading' | 'failed';

/** What the scheduler needs to know of a slot. */
export interface SlotView {
  id: string;
  vramMB: number;
  state: SlotState;
  /** Requests running in the worker. */
  inFlight: number;
  /** Requests waiting in the pool for this slot. */
  queued: number;
  /** The phase of the oldest waiting request. */
  headPhase?: string | undefined;
  /** When the slot last became idle (ms, same clock as `now`). */
  idleSince: number;
  /** Calls settled per phase id in the current run. */
  served: ReadonlyMap<string, number>;
}

export interface SwapContext {
  budgetMB: number;
  /** One load (or unload) at a time. */
  sequential: boolean;
  /** The plan's swap schedule; empty when every model fits. */
  schedule: readonly PhasePlan[];
  /** The protocol's phases over slot ids, in order. */
  phases: readonly PhaseDemand[];
  /** The phase of the latest request. */
  currentPhase: string | undefined;
  now: number;
  /** A loaded model idle this long may be unloaded even if the plan expects more calls for it. */
  idleMs: number;
}

export interface LoadDecision {
  /** Slots to load now, in order. */
  load: string[];
  /** Unload `victims`, then load `candidate` (its room is reserved meanwhile). */
  swap?: { victims: string[]; candidate: string };
  /** Nothing can be unloaded yet: look again after this many ms (an idle model becomes evictable by then). */
  retryInMs?: number;
}

const EPSILON = 1e-9;

/** Phase id → its index (the last one when ids repeat). */
function phaseIndex(phases: readonly PhaseDemand[]): Map<string, number> {
  const index = new Map<string, number>();
  phases.forEach((phase, i) => index.set(phase.id, i));
  return index;
}

/** Which phase is current after a request of `phase`; going back to an earlier phase starts a new run. */
export function notePhase(
  current: string | undefined,
  phase: string | undefined,
  phases: readonly PhaseDemand[],
): { current: string | undefined; newRun: boolean } {
  const index = phaseIndex(phases);
  const next = phase === undefined ? undefined : index.get(phase);
  if (next === undefined) return { current, newRun: false };
  const now = current === undefined ? -1 : index.get(current)!;
  return { current: next === now ? current : phase, newRun: next < now };
}

/** Lower loads first: the plan's batch order for the request's phase, then the phase order. */
export function loadPriority(slot: SlotView, context: SwapContext): number {
  const phase = slot.headPhase;
  const phasePlan = context.schedule.find((p) => p.phase === phase);
  const batch = phasePlan?.batches.findIndex((b) => b.run.includes(slot.id)) ?? -1;
  return (batch < 0 ? 1000 : batch) * 1e6 + (phaseIndex(context.phases).get(phase ?? '') ?? 0);
}

/** The slot served every call the plan expects of it in the current phase (none expected: done). */
export function doneWithPhase(slot: SlotView, context: SwapContext): boolean {
  const phase = context.currentPhase;
  if (phase === undefined) return false;
  const expected = context.phases[phaseIndex(context.phases).get(phase)!]?.calls[slot.id] ?? 0;
  return (slot.served.get(phase) ?? 0) >= expected;
}

/**
 * The loaded slots to unload so `candidate` fits in `freeMB` plus their memory, in the plan's order of preference:
 * first what the plan does not keep after the current phase, then what is needed last (Belady). Undefined means
 * wait: a preferred slot is still working (or idle but expected to get more calls), and unloading another one
 * instead would cost a reload the plan avoids. A slot idle for `idleMs` is taken in any case.
 */
export function chooseVictims(candidate: SlotView, slots: readonly SlotView[], freeMB: number, context: SwapContext): string[] | undefined {
  const { now, idleMs, currentPhase, phases } = context;
  const index = phaseIndex(phases);
  const currentIndex = index.get(currentPhase ?? '') ?? 0;
  const keep = new Set(context.schedule.find((p) => p.phase === currentPhase)?.keep ?? []);
  const nextUse = (slot: SlotView) => {
    for (let i = currentIndex + 1; i < phases.length; i++) if ((phases[i]!.calls[slot.id] ?? 0) > 0) return i;
    return Infinity;
  };
  const idle = (s: SlotView) => s.inFlight === 0 && !s.queued;
  const evictable = (s: SlotView) => idle(s) && (doneWithPhase(s, context) || now - s.idleSince >= idleMs);
  const loaded = slots.filter((s) => s.id !== candidate.id && s.state === 'loaded');
  loaded.sort((a, b) => Number(keep.has(a.id)) - Number(keep.has(b.id)) || nextUse(b) - nextUse(a) || Number(evictable(b)) - Number(evictable(a)) || a.idleSince - b.idleSince);
  const pick = (from: SlotView[]): SlotView[] | undefined => {
    const picked: SlotView[] = [];
    let room = freeMB;
    for (const slot of from) {
      if (room >= candidate.vramMB - EPSILON) break;
      picked.push(slot);
      room += slot.vramMB;
    }
    return room >= candidate.vramMB - EPSILON ? picked : undefined;
  };
  const victims = pick(loaded);
  if (!victims) return undefined;
  if (victims.every(evictable)) return victims.map((s) => s.id);
  // The preferred victims are busy. Take idle-and-timed-out ones instead only if nothing is working at all.
  if (loaded.some((s) => !idle(s))) return undefined;
  return pick(loaded.filter(evictable))?.map((s) => s.id);
}

/** How long until an idle loaded slot becomes evictable; undefined when none is idle (a finishing call looks again). */
export function retryDelay(slots: readonly SlotView[], context: SwapContext): number | undefined {
  const idle = slots.filter((s) => s.state === 'loaded' && s.inFlight === 0 && !s.queued);
  if (!idle.length) return undefined;
  return Math.max(1, Math.min(...idle.map((s) => context.idleMs - (context.now - s.idleSince))));
}

/**
 * What to do for the slots with waiting requests and nothing loaded: load those that fit (one at a time when
 * sequential), in priority order; for the first that does not fit, unload victims if the plan allows, else wait.
 */
export function decideLoads(slots: readonly SlotView[], context: SwapContext): LoadDecision {
  const state = new Map(slots.map((s) => [s.id, s.state]));
  const load: string[] = [];
  const waiting = slots.filter((s) => s.queued > 0 && s.state === 'unloaded');
  if (!waiting.length) return { load };
  const now = () => slots.map((s) => ({ ...s, state: state.get(s.id)! }));
  const occupied = () => now().filter((s) => s.state === 'loading' || s.state === 'loaded' || s.state === 'unloading');
  const used = () => occupied().reduce((sum, s) => sum + s.vramMB, 0);
  const sorted = waiting.map((s) => ({ slot: s, priority: loadPriority(s, context) })).sort((a, b) => a.priority - b.priority);
  for (const { slot: candidate } of sorted) {
    if (context.sequential && occupied().some((s) => s.state === 'loading' || s.state === 'unloading')) return { load };
    if (used() + candidate.vramMB <= context.budgetMB + EPSILON) {
      load.push(candidate.id);
      state.set(candidate.id, 'loading');
      continue;
    }
    if (occupied().some((s) => s.state === 'unloading')) return { load }; // memory is being freed; wait for it
    const victims = chooseVictims(candidate, now(), context.budgetMB - used(), context);
    if (victims) return { load, swap: { victims, candidate: candidate.id } };
    const retryInMs = retryDelay(now(), context);
    return retryInMs === undefined ? { load } : { load, retryInMs };
  }
  return { load };
}
