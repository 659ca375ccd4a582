/**
 * Scripted scenarios for suite 5 (early-stop savings): deliberations whose answers converge at layer 2 of 4.
 *
 * Layer 1: the agents disagree (each proposes a different partial answer) and the aggregate merges them. From layer 2
 * on the proposals, refinements and aggregates only reword that merged answer: nothing correct is added, nothing
 * wrong is fixed. So a judge asked "did the current round improve on the previous one?" says no (the scripted judge
 * answers the stop phrase whenever the residual prompt carries the judge instruction from layer 2 on), and the
 * similarity test sees a layer-2 output that is a light rewording of layer 1's. With early stop off all 4 layers run.
 */
// The protocol's own modules, not the package index: this also runs in the Playwright process (Node), where the
// index's worker runtime (Vite `?worker&url` imports) cannot load.
import { AttentionMoA } from '../../packages/core/src/protocol/attention-moa.js';
import { ScriptedEngine, type ScriptRule } from '../../packages/core/src/engine/scripted/scripted.js';
import type { Topology } from './ideal-time.js';

export interface ConvergingScenario {
  name: string;
  question: string;
  agents: number;
  attention: Topology;
  /** Layer-1 proposals, one per agent: they disagree. */
  proposals: string[];
  /** The layer-1 aggregate: the merged answer. */
  merged: string;
  /** The same answer reworded, as later layers write it (similar to `merged`, but not identical). */
  reworded: string;
  critique: string;
}

const LAYERS = 4;

export const SCENARIOS: ConvergingScenario[] = [
  {
    name: 'sky colour, 3 agents, full',
    question: 'Why is the sky blue during the day and red at sunset?',
    agents: 3,
    attention: 'full',
    proposals: [
      'Sunlight scatters off air molecules, and short blue wavelengths scatter the most, so blue light reaches us from every direction of the sky.',
      'The sky is blue because of Rayleigh scattering. At sunset light crosses much more air, so the blue is scattered away before it reaches us and reds and oranges remain.',
      'Oxygen and nitrogen molecules are much smaller than the wavelength of light; scattering grows with the inverse fourth power of the wavelength, which favours violet and blue. Our eyes are less sensitive to violet, so we see blue.',
    ],
    merged:
      'The sky is blue because of Rayleigh scattering: air molecules are much smaller than the wavelength of light, and ' +
      'scattering grows with the inverse fourth power of the wavelength, so blue and violet are scattered far more than red. ' +
      'Our eyes are less sensitive to violet, so the scattered light looks blue. At sunset sunlight crosses much more air on ' +
      'its way to us; most of the blue is scattered out of the direct path, and the reds and oranges that remain colour the sky.',
    reworded:
      'The sky looks blue because of Rayleigh scattering: air molecules are much smaller than the wavelength of light, and ' +
      'scattering grows with the inverse fourth power of the wavelength, so blue and violet are scattered far more than red. ' +
      'Our eyes are less sensitive to violet, so the scattered light appears blue. At sunset sunlight travels through much more air on ' +
      'its way to us; most of the blue is scattered out of the direct path, and the reds and oranges that remain colour the sky.',
    critique: '- Name the mechanism (Rayleigh scattering), because the answer should say why short wavelengths scatter more.\n- Explain the sunset, since the question asks about it.',
  },
  {
    name: 'binary search, 5 agents, ring',
    question: 'How does binary search work, and what does it cost?',
    agents: 5,
    attention: 'ring',
    proposals: [
      'Binary search looks at the middle element of a sorted array and discards the half that cannot contain the target.',
      'It needs the input to be sorted. Each step halves the search range, so it takes O(log n) comparisons.',
      'Keep two indices, low and high; compare the target with the element at mid = low + (high - low) / 2 and move low or high past mid.',
      'Binary search runs in O(log n) time and O(1) extra space when written as a loop.',
      'A common bug is computing mid as (low + high) / 2, which can overflow in languages with fixed-size integers.',
    ],
    merged:
      '**Binary search** finds a value in a *sorted* array by halving the range that can contain it.\n\n' +
      '1. Keep two indices, `low` and `high`, around the range still possible.\n' +
      '2. Compare the target with the middle element, `mid = low + (high - low) / 2` (this form avoids integer overflow).\n' +
      '3. If the target is smaller, continue in the left half; if larger, in the right half; if equal, you found it.\n\n' +
      'Each step halves the range, so it takes **O(log n)** comparisons and, as a loop, **O(1)** extra space.',
    reworded:
      '**Binary search** finds a value in a *sorted* array by repeatedly halving the range that can contain it.\n\n' +
      '1. Keep two indices, `low` and `high`, around the range still possible.\n' +
      '2. Compare the target with the middle element, `mid = low + (high - low) / 2` (this form avoids integer overflow).\n' +
      '3. If the target is smaller, go on in the left half; if larger, in the right half; if equal, you are done.\n\n' +
      'Each step halves the range, so it takes **O(log n)** comparisons and, written as a loop, **O(1)** extra space.',
    critique: '- State that the array must be sorted, because binary search is wrong otherwise.\n- Mention the overflow-safe midpoint.',
  },
  {
    name: 'HTTP caching, 2 agents, full',
    question: 'Explain the difference between Cache-Control no-cache and no-store.',
    agents: 2,
    attention: 'full',
    proposals: [
      '`no-store` forbids any cache from keeping the response. `no-cache` lets caches keep it but they must revalidate before using it.',
      'With no-cache the browser still stores the response and sends a conditional request (If-None-Match / If-Modified-Since); a 304 reply lets it reuse the copy. no-store means nothing is written to disk or memory caches.',
    ],
    merged:
      '- **`no-store`**: no cache (browser or shared) may keep any part of the response; every request goes to the server in full. Use it for sensitive data.\n' +
      '- **`no-cache`**: caches may store the response but must revalidate it with the origin before each use, with a conditional request ' +
      '(`If-None-Match` with the ETag, or `If-Modified-Since`). A `304 Not Modified` reply lets the cache reuse its copy without downloading the body again.\n\n' +
      'So `no-cache` saves bandwidth while always being fresh; `no-store` trades that for privacy.',
    reworded:
      '- **`no-store`**: no cache (browser or shared) may keep any part of the response; each request goes to the server in full. Use it for sensitive data.\n' +
      '- **`no-cache`**: caches may store the response but must revalidate it with the origin before every use, using a conditional request ' +
      '(`If-None-Match` with the ETag, or `If-Modified-Since`). A `304 Not Modified` reply lets the cache reuse its copy without downloading the body again.\n\n' +
      'So `no-cache` saves bandwidth while always staying fresh; `no-store` gives that up for privacy.',
    critique: '- Mention conditional requests and 304, because that is what makes no-cache cheap.',
  },
];

/** The judge instruction is in the residual prompt only with earlyStop 'judge' (see protocol/prompts.ts). */
const JUDGE_INSTRUCTION = 'reply with this one line and nothing else: NO FURTHER IMPROVEMENT';

export function agentRules(s: ConvergingScenario, index: number): ScriptRule[] {
  return [
    { when: { role: 'critique' }, reply: s.critique },
    { when: { role: 'propose', layer: 1 }, reply: s.proposals[index]! },
    // Refining in layer 1 pulls each agent towards the merged answer; from layer 2 on everyone rewords it.
    { when: { role: 'refine', layer: 1 }, reply: `${s.proposals[index]!} ${s.critique.split('\n')[0]!.replace(/^- /, '')}` },
    { reply: s.reworded },
  ];
}

export function aggregatorRules(s: ConvergingScenario): ScriptRule[] {
  return [
    { when: { role: 'aggregate', layer: 1 }, reply: s.merged },
    { when: { role: 'residual', contains: JUDGE_INSTRUCTION }, reply: 'NO FURTHER IMPROVEMENT' },
    { reply: s.reworded },
  ];
}

/** A fresh AttentionMoA over in-thread scripted engines for one scenario and early-stop mode. */
export function buildScenario(s: ConvergingScenario, earlyStop: 'off' | 'judge' | 'similarity'): AttentionMoA {
  return new AttentionMoA({
    agents: Array.from({ length: s.agents }, (_, i) => ({ name: `agent${i + 1}`, engine: new ScriptedEngine({ rules: agentRules(s, i) }) })),
    aggregator: { engine: new ScriptedEngine({ rules: aggregatorRules(s) }), name: 'aggregator' },
    layers: LAYERS,
    attention: s.attention,
    earlyStop,
  });
}

export interface ScenarioRun {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  tokens: number;
  layersRun: number;
  stopLayer?: number;
  stopMode?: string;
  similarity?: number;
}

export async function runScenario(s: ConvergingScenario, earlyStop: 'off' | 'judge' | 'similarity'): Promise<ScenarioRun> {
  const result = await buildScenario(s, earlyStop).complete(s.question);
  const { calls, promptTokens, completionTokens } = result.usage;
  return {
    calls,
    promptTokens,
    completionTokens,
    tokens: promptTokens + completionTokens,
    layersRun: result.layersRun,
    ...(result.earlyStop ? { stopLayer: result.earlyStop.layer, stopMode: result.earlyStop.mode } : {}),
    ...(result.earlyStop?.similarity !== undefined ? { similarity: result.earlyStop.similarity } : {}),
  };
}
