import { describe, expect, it } from 'vitest';
import {
  chooseVictims,
  decideLoads,
  doneWithPhase,
  loadPriority,
  notePhase,
  retryDelay,
  type SlotView,
  type SwapContext,
} from '../../../../packages/core/src/runtime/swap-scheduler.js';
import type { PhaseDemand, PhasePlan } from '../../../../packages/core/src/runtime/memory-plan.js';

const slot = (id: string, over: Partial<SlotView> = {}): SlotView => ({
  id, vramMB: 1000, state: 'unloaded', inFlight: 0, queued: 0, idleSince: 0, served: new Map(), ...over,
});

// Three phases: A and B propose, then C aggregates, then A again in layer 2.
const phases: PhaseDemand[] = [
  { id: 'L1:propose', layer: 1, role: 'propose', calls: { A: 1, B: 1 } },
  { id: 'L1:aggregate', layer: 1, role: 'aggregate', calls: { C: 1 } },
  { id: 'L2:propose', layer: 2, role: 'propose', calls: { A: 1 } },
];

const context = (over: Partial<SwapContext> = {}): SwapContext => ({
  budgetMB: 2000, sequential: false, schedule: [], phases, currentPhase: undefined, now: 10_000, idleMs: 1000, ...over,
});

describe('decideLoads', () => {
  it('does nothing when no request waits on an unloaded slot', () => {
    expect(decideLoads([slot('A', { state: 'loaded', queued: 2 }), slot('B')], context())).toEqual({ load: [] });
  });

  it('loads every waiting slot that fits, in parallel mode', () => {
    const slots = [slot('A', { queued: 1 }), slot('B', { queued: 1 }), slot('C')];
    expect(decideLoads(slots, context())).toEqual({ load: ['A', 'B'] });
  });

  it('loads one at a time in sequential mode, and none while another loads', () => {
    const slots = [slot('A', { queued: 1 }), slot('B', { queued: 1 })];
    expect(decideLoads(slots, context({ sequential: true }))).toEqual({ load: ['A'] });
    const busy = [slot('A', { state: 'loading' }), slot('B', { queued: 1 })];
    expect(decideLoads(busy, context({ sequential: true }))).toEqual({ load: [] });
  });

  it('loads what fits and swaps for the first that does not: the loaded slot needed last goes', () => {
    // A and B loaded (budget full), both done with L1:propose; C waits for the aggregate. A is needed again in L2, B never.
    const served = new Map([['L1:propose', 1]]);
    const slots = [
      slot('A', { state: 'loaded', served, idleSince: 9_900 }),
      slot('B', { state: 'loaded', served, idleSince: 9_950 }),
      slot('C', { queued: 1, headPhase: 'L1:aggregate' }),
    ];
    const decision = decideLoads(slots, context({ currentPhase: 'L1:propose' }));
    expect(decision).toEqual({ load: [], swap: { victims: ['B'], candidate: 'C' } });
  });

  it('does not swap while memory is being freed', () => {
    const slots = [slot('A', { state: 'unloading' }), slot('B', { state: 'loaded' }), slot('C', { queued: 1 })];
    expect(decideLoads(slots, context())).toEqual({ load: [] });
  });

  it('waits, with a time to look again, when the preferred victim still expects calls and is not idle long', () => {
    // Current phase L1:propose expects one call of A and one of B; neither has served it. Both idle 200 ms.
    const slots = [
      slot('A', { state: 'loaded', idleSince: 9_800 }),
      slot('B', { state: 'loaded', idleSince: 9_700 }),
      slot('C', { queued: 1, headPhase: 'L1:aggregate' }),
    ];
    const decision = decideLoads(slots, context({ currentPhase: 'L1:propose' }));
    expect(decision.swap).toBeUndefined();
    expect(decision.retryInMs).toBe(700); // B becomes evictable first: 1000 − (10000 − 9700)
  });

  it('takes a loaded slot idle for idleMs even when the plan expects more calls of it (a dropped agent)', () => {
    const slots = [
      slot('A', { state: 'loaded', idleSince: 8_000 }),
      slot('B', { state: 'loaded', idleSince: 9_900 }),
      slot('C', { queued: 1, headPhase: 'L1:aggregate' }),
    ];
    // B (never needed later) is the preferred victim but expects a call now and idled only 100 ms: A goes instead.
    expect(decideLoads(slots, context({ currentPhase: 'L1:propose' })).swap).toEqual({ victims: ['A'], candidate: 'C' });
    // ...but not while any model is still working: then the scheduler waits for the preferred one.
    const working = slots.map((s) => (s.id === 'B' ? { ...s, inFlight: 1 } : s));
    expect(decideLoads(working, context({ currentPhase: 'L1:propose' })).swap).toBeUndefined();
  });
});

describe('chooseVictims', () => {
  it('keeps what the plan keeps after the current phase', () => {
    const schedule: PhasePlan[] = [
      { phase: 'L1:propose', batches: [{ unload: [], load: ['A', 'B'], resident: ['A', 'B'], run: ['A', 'B'] }], unloadAfter: ['B'], keep: ['A'], loads: 2 },
    ];
    const served = new Map([['L1:propose', 1]]);
    const a = slot('A', { state: 'loaded', served });
    const b = slot('B', { state: 'loaded', served });
    const c = slot('C', { queued: 1 });
    // Without the plan, B (never needed again) goes anyway; make A the Belady choice to see `keep` win:
    const phasesAFirst: PhaseDemand[] = [phases[0]!, phases[1]!, { id: 'L2:propose', layer: 2, role: 'propose', calls: { B: 1 } }];
    expect(chooseVictims(c, [a, b, c], 0, context({ currentPhase: 'L1:propose', phases: phasesAFirst }))).toEqual(['A']);
    expect(chooseVictims(c, [a, b, c], 0, context({ currentPhase: 'L1:propose', phases: phasesAFirst, schedule }))).toEqual(['B']);
  });

  it('returns undefined when even every loaded slot would not make room', () => {
    const big = slot('C', { queued: 1, vramMB: 5000 });
    expect(chooseVictims(big, [slot('A', { state: 'loaded', idleSince: 0 }), big], 0, context())).toBeUndefined();
  });

  it('unloads as many as needed', () => {
    const c = slot('C', { queued: 1, vramMB: 2000 });
    const a = slot('A', { state: 'loaded', idleSince: 0 });
    const b = slot('B', { state: 'loaded', idleSince: 0 });
    expect(chooseVictims(c, [a, b, c], 0, context())?.sort()).toEqual(['A', 'B']);
  });
});

describe('loadPriority', () => {
  it('follows the plan’s batch order within a phase, unplanned slots last', () => {
    const schedule: PhasePlan[] = [
      {
        phase: 'L1:propose',
        batches: [
          { unload: [], load: ['B'], resident: ['B'], run: ['B'] },
          { unload: ['B'], load: ['A'], resident: ['A'], run: ['A'] },
        ],
        unloadAfter: [], keep: [], loads: 2,
      },
    ];
    const ctx = context({ schedule });
    const a = loadPriority(slot('A', { headPhase: 'L1:propose' }), ctx);
    const b = loadPriority(slot('B', { headPhase: 'L1:propose' }), ctx);
    const c = loadPriority(slot('C', { headPhase: 'L1:aggregate' }), ctx);
    expect(b).toBeLessThan(a);
    expect(a).toBeLessThan(c);
  });
});

describe('notePhase', () => {
  it('moves forward, starts a new run when the protocol goes back, and ignores unknown phases', () => {
    expect(notePhase(undefined, 'L1:propose', phases)).toEqual({ current: 'L1:propose', newRun: false });
    expect(notePhase('L1:propose', 'L1:aggregate', phases)).toEqual({ current: 'L1:aggregate', newRun: false });
    expect(notePhase('L1:aggregate', 'L1:aggregate', phases)).toEqual({ current: 'L1:aggregate', newRun: false });
    expect(notePhase('L2:propose', 'L1:propose', phases)).toEqual({ current: 'L1:propose', newRun: true });
    expect(notePhase('L1:aggregate', 'L9:critique', phases)).toEqual({ current: 'L1:aggregate', newRun: false });
    expect(notePhase('L1:aggregate', undefined, phases)).toEqual({ current: 'L1:aggregate', newRun: false });
  });
});

describe('doneWithPhase and retryDelay', () => {
  it('a slot is done when it served what the phase expects of it (or nothing is expected)', () => {
    const ctx = context({ currentPhase: 'L1:propose' });
    expect(doneWithPhase(slot('A'), ctx)).toBe(false);
    expect(doneWithPhase(slot('A', { served: new Map([['L1:propose', 1]]) }), ctx)).toBe(true);
    expect(doneWithPhase(slot('C'), ctx)).toBe(true);
    expect(doneWithPhase(slot('C'), context())).toBe(false);
  });

  it('looks again when the first idle slot times out, never sooner than 1 ms; not at all with none idle', () => {
    expect(retryDelay([slot('A', { state: 'loaded', idleSince: 9_500 })], context())).toBe(500);
    expect(retryDelay([slot('A', { state: 'loaded', idleSince: 0 })], context())).toBe(1);
    expect(retryDelay([slot('A', { state: 'loaded', inFlight: 1 })], context())).toBeUndefined();
  });
});
