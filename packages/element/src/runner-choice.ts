/**
 * Which runner answers a question, in order of precedence: the `moa` property (a ready runner), the `agents`
 * property (engines the page made), or the `models` attribute (engines the loader makes). Also the checks of those
 * properties and the aggregator choice, so a wrong value becomes a problem naming the property and the fix.
 */
import { isChatEngine } from '@attention-moa/core/lite';
import type { AgentConfig, AggregatorConfig, AttentionMoAOptions } from '@attention-moa/core';
import { AttentionMoAElementError } from './errors.js';
import { attributeProblem, type Problem } from './problems.js';
import { createProtocol } from './protocol-factory.js';
import { isMoaRunner, type MoaRunner } from './run-controller.js';
import type { LoadRequest } from './loading-controller.js';
import type { LoadedEngines } from './loader-contract.js';
import type { Settings } from './settings.js';

/** The element's inputs that decide the runner. */
export interface RunnerInputs {
  moa: MoaRunner | undefined;
  agents: AgentConfig[] | undefined;
  aggregator: string | AggregatorConfig | undefined;
  options: Partial<AttentionMoAOptions> | undefined;
  settings: Settings;
}

/** Problems with the `moa`, `agents` and `aggregator` properties (the attributes are checked in `settings.ts`). */
export function runnerInputProblems({ moa, agents, aggregator }: Pick<RunnerInputs, 'moa' | 'agents' | 'aggregator'>): Problem[] {
  const problems: Problem[] = [];
  if (moa !== undefined && moa !== null && !isMoaRunner(moa)) {
    problems.push(attributeProblem('moa', 'The moa property has no run() method', 'Set moa to an AttentionMoA from @attention-moa/core (or an object with run(messages, { signal })).'));
  }
  if (agents !== undefined && agents !== null) {
    const list: unknown = agents;
    if (!Array.isArray(list) || list.length === 0) {
      problems.push(attributeProblem('agents', 'agents must be a non-empty array of { name, engine }', 'Set agents to e.g. [{ name: "A", engine }, { name: "B", engine }].'));
    } else {
      const names = new Set<string>();
      list.forEach((a: { name?: unknown; engine?: unknown } | null, i) => {
        if (typeof a?.name !== 'string' || !a.name) problems.push(attributeProblem('agents', `agents[${i}].name must be a non-empty string`, 'Give every agent a unique name.'));
        else if (names.has(a.name)) problems.push(attributeProblem('agents', `agents[${i}].name "${a.name}" is used twice`, 'Give every agent a unique name.'));
        else names.add(a.name);
        if (!isChatEngine(a?.engine)) problems.push(attributeProblem('agents', `agents[${i}].engine has no chat.completions.create()`, 'Use an engine from @attention-moa/core (ScriptedEngine, a worker engine) or any OpenAI-compatible client.'));
      });
    }
  }
  if (typeof aggregator === 'object' && aggregator !== null && !isChatEngine(aggregator.engine)) {
    problems.push(attributeProblem('aggregator', 'aggregator.engine has no chat.completions.create()', 'Pass an AggregatorConfig with an engine, or an agent name as text.'));
  }
  return problems;
}

/** The runner for the next question; `loadModels` is called only when the `models` attribute decides. */
export async function chooseRunner(inputs: RunnerInputs, loadModels: () => Promise<LoadedEngines>): Promise<MoaRunner> {
  if (inputs.moa) return inputs.moa;
  if (inputs.agents) return protocolFor(inputs, inputs.agents, aggregatorFor(inputs.agents, inputs.aggregator));
  if (inputs.settings.models.length || inputs.settings.remote.length) {
    const engines = await loadModels();
    return protocolFor(inputs, engines.agents, engines.aggregator);
  }
  throw new AttentionMoAElementError({
    code: 'no-engines',
    title: 'There are no models to answer with',
    message: 'Neither the models or remote-models attribute nor the agents or moa property is set.',
    nextStep: 'Add models="…" with WebLLM model ids (or remote-models="model@http://…/v1"), or set the agents (or moa) property from script.',
  });
}

/** What the loader is asked for: the models and what shapes their planning (aggregator, memory, protocol). */
export function loadRequestFor(settings: Settings, aggregator: RunnerInputs['aggregator']): LoadRequest {
  return {
    models: settings.models,
    ...(settings.remote.length ? { remote: settings.remote } : {}),
    ...(typeof aggregator === 'string' && aggregator ? { aggregator } : {}),
    ...(settings.memoryBudgetBytes !== undefined ? { memoryBudgetBytes: settings.memoryBudgetBytes } : {}),
    ...(settings.protocol.layers !== undefined ? { layers: settings.protocol.layers } : {}),
    ...(settings.protocol.attention !== undefined ? { attention: settings.protocol.attention } : {}),
  };
}

/** The aggregator for page-made agents: an AggregatorConfig as given, else the named agent (default: the first). */
export function aggregatorFor(agents: AgentConfig[], choice: RunnerInputs['aggregator']): AggregatorConfig {
  if (typeof choice === 'object' && choice !== null) return choice;
  const agent = typeof choice === 'string' && choice
    ? agents.find((a) => a.name === choice || a.model === choice)
    : agents[0];
  if (!agent) {
    throw new AttentionMoAElementError(attributeProblem('aggregator', `No agent is named "${String(choice)}"`, `Use one of: ${agents.map((a) => a.name).join(', ')}.`));
  }
  // Its own name (the protocol requires it) that still says whose model it is.
  return { engine: agent.engine, name: `${agent.name} (aggregator)`, ...(agent.model !== undefined ? { model: agent.model } : {}) };
}

function protocolFor(inputs: RunnerInputs, agents: AgentConfig[], aggregator: AggregatorConfig): Promise<MoaRunner> {
  return createProtocol({ ...inputs.options, ...inputs.settings.protocol, agents, aggregator });
}
