/**
 * Simulation mode: the real protocol and the real UI, with scripted engines in place of models.
 * One ScriptedEngine per agent, so the protocol queues and parallelises exactly as it would with one model each.
 */
import { ScriptedEngine, type AgentConfig, type ScriptedRequest } from '@attention-moa/core';
import { agentOfAggregator, type RunMode } from '../run/modes.js';
import { scenarioFor, type Scenario } from './scenarios.js';

export const SIMULATION_LABEL = 'simulated agents — no model is running';

export type SimulationSpeed = 'gpu' | 'laptop' | 'instant';

export const SIMULATION_SPEEDS: readonly { id: SimulationSpeed; label: string; tokenDelayMs: number; firstTokenDelayMs: number }[] = [
  { id: 'gpu', label: 'GPU speed (~80 tok/s)', tokenDelayMs: 12, firstTokenDelayMs: 150 },
  { id: 'laptop', label: 'Laptop speed (~25 tok/s)', tokenDelayMs: 40, firstTokenDelayMs: 400 },
  { id: 'instant', label: 'Instant', tokenDelayMs: 0, firstTokenDelayMs: 0 },
];

export const SIMULATED_AGENT_NAMES = ['Agent A', 'Agent B', 'Agent C', 'Agent D', 'Agent E'];

export interface SimulationOptions {
  /** How many agents (1–5). */
  agents: number;
  speed: SimulationSpeed;
  /** The phrase the protocol's residual judge answers to stop; the script answers it at layer 2 when asked. */
  stopPhrase: string;
}

export class Simulation {
  readonly agentNames: string[];
  readonly engines: ScriptedEngine[];
  private scenario: Scenario = scenarioFor('');
  private mode: RunMode = 'attention-moa';

  constructor(readonly options: SimulationOptions) {
    if (!Number.isInteger(options.agents) || options.agents < 1 || options.agents > SIMULATED_AGENT_NAMES.length) {
      throw new RangeError(`Simulation: agents must be a whole number from 1 to ${SIMULATED_AGENT_NAMES.length}, got ${String(options.agents)}.`);
    }
    const speed = SIMULATION_SPEEDS.find((s) => s.id === options.speed);
    if (!speed) throw new RangeError(`Simulation: speed must be one of ${SIMULATION_SPEEDS.map((s) => s.id).join(', ')}; got "${String(options.speed)}".`);
    this.agentNames = SIMULATED_AGENT_NAMES.slice(0, options.agents);
    this.engines = this.agentNames.map(
      (name) =>
        new ScriptedEngine({
          model: `simulated:${name}`,
          tokenDelayMs: speed.tokenDelayMs,
          firstTokenDelayMs: speed.firstTokenDelayMs,
          rules: [{ reply: (request) => this.reply(request) }],
        }),
    );
  }

  /** The agents for the protocol's options; the first is the default aggregator. */
  agents(): AgentConfig[] {
    return this.agentNames.map((name, i) => ({ name, engine: this.engines[i]!, model: `simulated:${name}` }));
  }

  /** Call before each run: the script answers this question, in this mode's shape. */
  prepare(question: string, mode: RunMode): void {
    this.scenario = scenarioFor(question);
    this.mode = mode;
  }

  /** Agents beyond three reuse the three personas in turn. */
  private persona(agent: string | undefined): 0 | 1 | 2 {
    const name = agent === undefined ? undefined : (agentOfAggregator(agent) ?? agent);
    const i = name === undefined ? 0 : this.agentNames.indexOf(name);
    return (Math.max(0, i) % 3) as 0 | 1 | 2;
  }

  /** The scripted reply for one call of the protocol. */
  reply(request: ScriptedRequest): string {
    const s = this.scenario;
    const call = request.call;
    const layer = call?.layer ?? 1;
    const me = this.persona(call?.agent);
    switch (call?.role) {
      case 'propose':
        return layer === 1 ? s.proposals[me] : me === 0 ? s.polished : s.aggregate;
      case 'critique': {
        if (layer > 1) return s.lateCritique;
        const target = this.persona(call.target ?? call.agent);
        return s.critiques[me][target];
      }
      case 'refine':
        return layer === 1 ? s.refined[me] : s.polished;
      case 'aggregate':
        if (this.mode === 'single') return s.proposals[me];
        if (this.mode === 'classic-moa') return s.classicAggregate;
        return layer === 1 ? s.aggregate : s.polished;
      case 'residual':
        // The judge's verdict: layer 2 only polished layer 1, so it answers with the stop phrase when the prompt
        // asks for one (earlyStop 'judge'); otherwise it writes the synthesis.
        if (layer >= 2 && request.prompt.includes(this.options.stopPhrase)) return this.options.stopPhrase;
        return s.polished;
      default:
        return s.proposals[me];
    }
  }
}
