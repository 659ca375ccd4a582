import { describe, expect, it } from 'vitest';
import {
  AttentionMoA,
  ScriptedEngine,
  type AttentionMoAEvent,
  type AttentionTopology,
  type CallRecord,
  type CallRole,
} from '@attention-moa/core';

const NAMES = ['A', 'B', 'C', 'D', 'E'];

/** Calls per the spec, written out here independently of the library: propose n, critiques, refine n, aggregate 1, residual from layer 2. */
function expectedCalls(topology: AttentionTopology, n: number, layers: number, residual: boolean): number {
  const critiques = { full: n * n, self: n, ring: n === 1 ? 1 : 2 * n, none: 0 }[topology];
  const refines = topology === 'none' ? 0 : n;
  const aggregate = topology === 'none' && n === 1 ? 0 : 1; // one agent, no attention: a single model
  return layers * (n + critiques + refines + aggregate) + (residual ? layers - 1 : 0);
}

function expectedPairs(topology: AttentionTopology, names: string[]): string[] {
  const n = names.length;
  const pairs: string[] = [];
  names.forEach((critic, i) => {
    if (topology === 'full') names.forEach((t) => pairs.push(`${critic}>${t}`));
    if (topology === 'self') pairs.push(`${critic}>${critic}`);
    if (topology === 'ring') {
      pairs.push(`${critic}>${critic}`);
      if (n > 1) pairs.push(`${critic}>${names[(i + 1) % n]}`);
    }
  });
  return pairs.sort();
}

function scripted(name: string) {
  // Replies of different lengths per agent, so that a missing barrier would show up as interleaving.
  return new ScriptedEngine({ rules: [{ reply: `${name} {role} L{layer}{targetSuffix} ${'word '.repeat(name.charCodeAt(0) % 7)}` }] });
}

async function runAll(moa: AttentionMoA) {
  const events: AttentionMoAEvent[] = [];
  const result = await moa.complete('What is 2+2?', { onEvent: (e) => events.push(e) });
  return { events, result };
}

const PHASES: CallRole[] = ['propose', 'critique', 'refine', 'aggregate', 'residual'];

describe('call graph conformance', () => {
  for (const topology of ['full', 'self', 'ring', 'none'] as AttentionTopology[]) {
    for (const n of [1, 2, 3, 5]) {
      for (const layers of [1, 2, 3]) {
        it(`${topology}, n=${n}, L=${layers}: calls per role/layer/agent and the spec's order`, async () => {
          const names = NAMES.slice(0, n);
          const engines = names.map(scripted);
          const aggregatorEngine = scripted('Z');
          const moa = new AttentionMoA({
            agents: names.map((name, i) => ({ name, engine: engines[i]! })),
            aggregator: { engine: aggregatorEngine, name: 'Z' },
            layers,
            attention: topology,
            earlyStop: 'off',
          });
          const { events, result } = await runAll(moa);
          const total = expectedCalls(topology, n, layers, true);
          expect(moa.plan().expectedCalls).toBe(total);
          expect(result.trace).toHaveLength(total);
          expect(result.usage.calls).toBe(total);
          expect(result.layersRun).toBe(layers);
          expect(result.dropped).toEqual([]);
          if (topology === 'full') expect(total).toBe(layers * (n + 1) ** 2 + (layers - 1));

          const at = (layer: number, role: CallRole) => result.trace.filter((r) => r.layer === layer && r.role === role);
          for (let layer = 1; layer <= layers; layer++) {
            expect(at(layer, 'propose').map((r) => r.agent).sort()).toEqual(names);
            expect(at(layer, 'critique').map((r) => `${r.agent}>${r.target}`).sort()).toEqual(expectedPairs(topology, names));
            expect(at(layer, 'refine').map((r) => r.agent).sort()).toEqual(topology === 'none' ? [] : names);
            expect(at(layer, 'aggregate').map((r) => r.agent)).toEqual(topology === 'none' && n === 1 ? [] : ['Z']);
            expect(at(layer, 'residual').map((r) => r.agent)).toEqual(layer >= 2 ? ['Z'] : []);
          }

          // Order, from the event stream: every call of a step ends before any call of the next step starts.
          const position = new Map<number, { start: number; end: number }>();
          events.forEach((e, i) => {
            if (e.type === 'call-start') position.set(e.call, { start: i, end: -1 });
            if (e.type === 'call-end') position.get(e.record.id)!.end = i;
          });
          const steps: CallRecord[][] = [];
          for (let layer = 1; layer <= layers; layer++) {
            for (const role of PHASES) if (at(layer, role).length) steps.push(at(layer, role));
          }
          for (let k = 1; k < steps.length; k++) {
            const lastEnd = Math.max(...steps[k - 1]!.map((r) => position.get(r.id)!.end));
            const firstStart = Math.min(...steps[k]!.map((r) => position.get(r.id)!.start));
            expect(lastEnd, `${steps[k - 1]![0]!.role} L${steps[k - 1]![0]!.layer} before ${steps[k]![0]!.role} L${steps[k]![0]!.layer}`).toBeLessThan(firstStart);
          }
          // Trace records are in id order and every call ended normally.
          expect(result.trace.map((r) => r.id)).toEqual(result.trace.map((_, i) => i + 1));
          expect(result.trace.every((r) => r.finishReason === 'stop' && !r.error)).toBe(true);
          // One request at a time per model, and each engine was told who was calling.
          for (const [i, engine] of engines.entries()) {
            expect(engine.maxInFlight).toBe(1);
            const own = result.trace.filter((r) => r.agent === names[i]);
            expect(engine.requests.map((q) => q.call).sort(byKey)).toEqual(own.map(identity).sort(byKey));
          }
          expect(aggregatorEngine.maxInFlight).toBeLessThanOrEqual(1);
          // The answer is the last layer's output, and the streamed answer tokens add up to it.
          expect(result.answer).toBe(result.layerOutputs.at(-1));
          expect(events.filter((e) => e.type === 'answer-token').map((e) => (e as { token: string }).token).join('')).toBe(result.answer);
          expect(events.some((e) => e.type === 'answer-reset')).toBe(false);
        });
      }
    }
  }

  it('residual: false (classic MoA with attention none) makes no residual calls', async () => {
    const engines = NAMES.slice(0, 3).map(scripted);
    const moa = new AttentionMoA({
      agents: engines.map((engine, i) => ({ name: NAMES[i]!, engine })),
      aggregator: { engine: scripted('Z') },
      layers: 3,
      attention: 'none',
      residual: false,
    });
    const { result } = await runAll(moa);
    expect(result.trace).toHaveLength(expectedCalls('none', 3, 3, false));
    expect(result.trace.filter((r) => r.role === 'residual')).toEqual([]);
    const words = 'word '.repeat('Z'.charCodeAt(0) % 7).trim();
    expect(result.layerOutputs).toEqual([1, 2, 3].map((l) => `Z aggregate L${l} ${words}`));
  });

  it('one agent with attention none is a single model: one call, its answer is the answer', async () => {
    const engine = scripted('A');
    const moa = new AttentionMoA({ agents: [{ name: 'A', engine }], aggregator: { engine }, attention: 'none' });
    const { events, result } = await runAll(moa);
    expect(result.trace.map((r) => r.role)).toEqual(['propose']);
    expect(result.answer).toBe(result.trace[0]!.text);
    expect(events.find((e) => e.type === 'layer-end')).toMatchObject({ source: 'propose' });
  });
});

function identity(r: CallRecord) {
  return { role: r.role, layer: r.layer, agent: r.agent, ...(r.target ? { target: r.target } : {}) };
}
function byKey(a: unknown, b: unknown) {
  return JSON.stringify(a).localeCompare(JSON.stringify(b));
}
