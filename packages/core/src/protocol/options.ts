/**
 * Validation and defaults of `AttentionMoA` options. Every bad value is rejected at construction with a
 * `ConfigError` naming the field, what it got and what is allowed; unknown keys are rejected too (a typo such
 * as `layer: 3` would otherwise silently run one layer).
 */
import { isChatEngine, remoteBaseURL, type ChatEngine } from '../engine/contract.js';
import { ConfigError } from './errors.js';
import { defaultPrompts } from './prompts.js';
import { TOPOLOGIES } from './topology.js';
import { EARLY_STOP_MODES } from './early-stop-modes.js';
import type {
  AgentConfig,
  AggregatorConfig,
  AttentionMoAOptions,
  AttentionTopology,
  CallRole,
  DraftOptions,
  EarlyStopMode,
  PromptTemplates,
  RoleTokenLimits,
} from './types.js';

export { TOPOLOGIES, EARLY_STOP_MODES };
export const ROLES: readonly CallRole[] = ['propose', 'critique', 'refine', 'aggregate', 'residual'];

export const DEFAULTS = {
  layers: 1,
  attention: 'full' as AttentionTopology,
  residual: true,
  similarityThreshold: 0.9,
  stopPhrase: 'NO FURTHER IMPROVEMENT',
  /** The paper's sampling temperature for every call. */
  temperature: 0.7,
  contextWindow: 4096,
  /** Requests one (engine, model) takes at once: one, as a local model serves one request at a time. */
  modelConcurrency: 1,
  aggregatorName: 'aggregator',
  /** Layers beyond this only repeat the residual synthesis on 4k windows, and a typo (1e9) must not plan forever. */
  maxLayers: 10,
  /**
   * Sized for 4k-token browser models: n answers of `propose`/`refine` size must fit an aggregate prompt. Critiques
   * get a quarter of an answer: a critic writes its n critiques one after another, small models fill any cap (bench
   * suite 14: 75 % of SmolLM2's critiques ran to 256), and in a paired eval 160-token critiques bought no accuracy
   * over 48-token ones for 3.2 × the tokens (eval/runs/critique-160). 3 × 128 keeps a critic's path under the
   * aggregate's 768.
   */
  maxTokens: { propose: 512, critique: 128, refine: 512, aggregate: 768, residual: 768 } satisfies Required<RoleTokenLimits>,
} as const;

/** Smallest room a prompt needs beside the answer: a window not larger than max tokens + this is rejected. */
const MIN_PROMPT_ROOM = 64;
/** Default caps are not scaled below this: fewer tokens are no longer an answer. */
export const MIN_DEFAULT_MAX_TOKENS = 16;

/**
 * The default token caps for a model with this context window: `DEFAULTS.maxTokens` (sized for 4k windows) scaled
 * down in proportion for smaller windows, so that a 1k–2k model is never asked for more than its prompts leave room
 * for; larger windows keep the defaults. E.g. 2048 → propose 256, critique 64, aggregate 384; 768 → 96, 24, 144.
 */
export function defaultMaxTokens(contextWindow: number): Required<RoleTokenLimits> {
  const scale = Math.min(1, contextWindow / DEFAULTS.contextWindow);
  const caps = { ...DEFAULTS.maxTokens };
  for (const role of ROLES) caps[role] = Math.max(MIN_DEFAULT_MAX_TOKENS, Math.floor(DEFAULTS.maxTokens[role] * scale));
  return caps;
}

/** The window an engine reports for its loaded model (see the engine contract), if a usable one. */
function reportedWindow(engine: ChatEngine): number | undefined {
  const window = engine.contextWindow;
  return typeof window === 'number' && Number.isInteger(window) && window > 0 ? window : undefined;
}

function reportedNoSystemRole(engine: ChatEngine): boolean | undefined {
  return typeof engine.noSystemRole === 'boolean' ? engine.noSystemRole : undefined;
}

/** The run's caps: those given, and which roles were given (the others default per model window). */
interface RoleLimits {
  given: Partial<Record<CallRole, number>>;
  /** Given or else the 4k defaults: what `ResolvedOptions.maxTokens` reports for the roles agents answer. */
  limits: Required<RoleTokenLimits>;
}

/** What agents and the aggregator share: a model on an engine, with its sampling, window and concurrency. */
export interface ResolvedEndpoint {
  name: string;
  engine: ChatEngine;
  model?: string;
  temperature: number;
  contextWindow: number;
  noSystemRole: boolean;
  concurrency: number;
}

export interface ResolvedAgent extends ResolvedEndpoint {
  system?: string;
  maxTokens: { propose: number; critique: number; refine: number };
}

export type ResolvedAggregator = ResolvedEndpoint;

/** The options after validation, every default filled in (what `AttentionMoA.options` exposes). */
export interface ResolvedOptions {
  agents: ResolvedAgent[];
  aggregator: ResolvedAggregator;
  layers: number;
  attention: AttentionTopology;
  residual: boolean;
  earlyStop: EarlyStopMode;
  similarityThreshold: number;
  stopPhrase: string;
  /** Caps per role: aggregate/residual as the aggregator gets them; propose/critique/refine as given (or the 4k
   *  defaults): each agent's own caps, scaled to its window, are in `agents[i].maxTokens`. */
  maxTokens: Required<RoleTokenLimits>;
  /** Calls in flight across all engines; `Infinity` when unlimited. */
  concurrency: number;
  /** 'auto' (the default): from each call's token budget and its model's measured speed; undefined: none. */
  callTimeoutMs?: number | 'auto';
  temperature: number;
  /** Nucleus sampling sent as `top_p` with every call; undefined = the engine's default. */
  topP?: number;
  prompts: Required<PromptTemplates>;
  budget: { maxCalls?: number; maxDurationMs?: number };
  /** `false` when drafts are off. */
  drafts: ResolvedDrafts | false;
}

export interface ResolvedDrafts {
  first: 'first-token' | 'first-finished' | { agent: string };
  layers: boolean;
}

const OPTION_KEYS = [
  'agents', 'aggregator', 'layers', 'attention', 'residual', 'earlyStop', 'similarityThreshold', 'stopPhrase',
  'maxTokens', 'concurrency', 'callTimeoutMs', 'temperature', 'topP', 'prompts', 'budget', 'drafts',
] as const satisfies readonly (keyof AttentionMoAOptions)[];
const AGENT_KEYS = [
  'name', 'engine', 'model', 'temperature', 'maxTokens', 'system', 'contextWindow', 'noSystemRole', 'concurrency',
] as const satisfies readonly (keyof AgentConfig)[];
const AGGREGATOR_KEYS = [
  'engine', 'model', 'name', 'temperature', 'contextWindow', 'noSystemRole', 'concurrency',
] as const satisfies readonly (keyof AggregatorConfig)[];
const BUDGET_KEYS = ['maxCalls', 'maxDurationMs'] as const;
const DRAFT_KEYS = ['first', 'layers'] as const satisfies readonly (keyof DraftOptions)[];
const FIRST_DRAFTS = ['first-token', 'first-finished'] as const;

const show = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
};
const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rejectUnknownKeys(value: Record<string, unknown>, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      const where = field ? `${field}.${key}` : key;
      throw new ConfigError(where, `is not an option; allowed here: ${allowed.join(', ')}`);
    }
  }
}

function integer(value: unknown, field: string, min: number, fallback: number, max?: number): number;
function integer(value: unknown, field: string, min: number, fallback?: number, max?: number): number | undefined;
function integer(value: unknown, field: string, min: number, fallback?: number, max = Infinity): number | undefined {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const allowed = max === Infinity ? `≥ ${min}` : `from ${min} to ${max}`;
    throw new ConfigError(field, `must be a whole number ${allowed}, got ${show(value)}`);
  }
  return value;
}

function numberIn(value: unknown, field: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(field, `must be a number from ${min} to ${max}, got ${show(value)}`);
  }
  return value;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw new ConfigError(field, `must be a non-empty string, got ${show(value)}`);
  return value;
}

function boolean(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ConfigError(field, `must be true or false, got ${show(value)}`);
  return value;
}

function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new ConfigError(field, `must be one of ${list(allowed)}, got ${show(value)}`);
  }
  return value as T;
}

function engine(value: unknown, field: string, model: unknown): ChatEngine {
  if (value === undefined || value === null) {
    throw new ConfigError(field, 'is missing: pass an engine with chat.completions.create (a WebLLM engine, an openai client, a ScriptedEngine)');
  }
  if (!isChatEngine(value)) {
    throw new ConfigError(field, `is not an engine: it needs a chat.completions.create(params) method (OpenAI chat-completions shape), got ${show(value)}`);
  }
  const baseURL = remoteBaseURL(value);
  if (baseURL !== undefined && (typeof model !== 'string' || !model.trim())) {
    const modelField = field.replace(/engine$/, 'model');
    throw new ConfigError(
      modelField,
      `is missing: ${field} is a client of the OpenAI-compatible server at ${baseURL}, and such servers (vLLM, Ollama, llama.cpp's server) ` +
        `reject a request without a model. Name the model it serves, e.g. ${modelField.split('.').pop()}: "qwen2.5:0.5b"`,
    );
  }
  // An OpenAIClientLike is called with the model named above, so the contract holds for it.
  return value;
}

function roleLimits(value: unknown): RoleLimits {
  if (value === undefined) return { given: {}, limits: { ...DEFAULTS.maxTokens } };
  if (!isRecord(value)) throw new ConfigError('maxTokens', `must be an object such as { critique: 128 }, got ${show(value)}`);
  rejectUnknownKeys(value, ROLES, 'maxTokens');
  const given: Partial<Record<CallRole, number>> = {};
  for (const role of ROLES) {
    const cap = integer(value[role], `maxTokens.${role}`, 1);
    if (cap !== undefined) given[role] = cap;
  }
  return { given, limits: { ...DEFAULTS.maxTokens, ...given } };
}

function prompts(value: unknown): Required<PromptTemplates> {
  if (value === undefined) return { ...defaultPrompts };
  if (!isRecord(value)) throw new ConfigError('prompts', `must be an object of template functions, got ${show(value)}`);
  rejectUnknownKeys(value, ROLES, 'prompts');
  const resolved = { ...defaultPrompts };
  for (const role of ROLES) {
    const template = value[role];
    if (template === undefined) continue;
    if (typeof template !== 'function') {
      throw new ConfigError(`prompts.${role}`, `must be a function of the prompt context returning messages, got ${show(template)}`);
    }
    (resolved as Record<CallRole, unknown>)[role] = template;
  }
  return resolved;
}

function checkWindow(contextWindow: number, largestAnswer: number, what: string, field: string): void {
  if (contextWindow < largestAnswer + MIN_PROMPT_ROOM) {
    throw new ConfigError(
      field,
      `(${contextWindow}) leaves no room for a prompt beside the longest answer it may be asked for (${what} ${largestAnswer} tokens); ` +
        `raise it or lower that limit`,
    );
  }
}

function resolveAgent(value: unknown, i: number, shared: { maxTokens: RoleLimits; temperature: number }): ResolvedAgent {
  const field = `agents[${i}]`;
  if (!isRecord(value)) throw new ConfigError(field, `must be an object { name, engine, model? }, got ${show(value)}`);
  rejectUnknownKeys(value, AGENT_KEYS, field);
  const name = optionalString(value.name, `${field}.name`);
  if (name === undefined) throw new ConfigError(`${field}.name`, 'is missing: every agent needs a unique name (shown in the UI and the trace)');
  const answerCap = integer(value.maxTokens, `${field}.maxTokens`, 1);
  const agentEngine = engine(value.engine, `${field}.engine`, value.model);
  // Window and system role: the agent's options, else what its engine reports for the loaded model, else 4096 / false.
  const contextWindow = integer(value.contextWindow, `${field}.contextWindow`, 1, reportedWindow(agentEngine) ?? DEFAULTS.contextWindow);
  const scaled = defaultMaxTokens(contextWindow);
  const { given } = shared.maxTokens;
  const agent: ResolvedAgent = {
    name,
    engine: agentEngine,
    model: optionalString(value.model, `${field}.model`),
    temperature: numberIn(value.temperature, `${field}.temperature`, 0, 2, shared.temperature),
    system: value.system === undefined ? undefined : optionalString(value.system, `${field}.system`),
    contextWindow,
    noSystemRole: boolean(value.noSystemRole, `${field}.noSystemRole`, reportedNoSystemRole(agentEngine) ?? false),
    concurrency: integer(value.concurrency, `${field}.concurrency`, 1, DEFAULTS.modelConcurrency),
    maxTokens: {
      propose: answerCap ?? given.propose ?? scaled.propose,
      refine: answerCap ?? given.refine ?? scaled.refine,
      critique: given.critique ?? scaled.critique,
    },
  };
  const largest = Object.entries(agent.maxTokens).sort((a, b) => b[1] - a[1])[0]!;
  checkWindow(agent.contextWindow, largest[1], `maxTokens.${largest[0]}`, `${field}.contextWindow`);
  return agent;
}

function resolveAggregator(value: unknown, shared: { maxTokens: RoleLimits; temperature: number }): { aggregator: ResolvedAggregator; caps: { aggregate: number; residual: number } } {
  if (value === undefined) {
    throw new ConfigError('aggregator', "is missing: pass { engine, model? } (it may be one of the agents' engines)");
  }
  if (!isRecord(value)) throw new ConfigError('aggregator', `must be an object { engine, model? }, got ${show(value)}`);
  rejectUnknownKeys(value, AGGREGATOR_KEYS, 'aggregator');
  const aggregatorEngine = engine(value.engine, 'aggregator.engine', value.model);
  const contextWindow = integer(value.contextWindow, 'aggregator.contextWindow', 1, reportedWindow(aggregatorEngine) ?? DEFAULTS.contextWindow);
  const aggregator: ResolvedAggregator = {
    name: optionalString(value.name, 'aggregator.name') ?? DEFAULTS.aggregatorName,
    engine: aggregatorEngine,
    model: optionalString(value.model, 'aggregator.model'),
    temperature: numberIn(value.temperature, 'aggregator.temperature', 0, 2, shared.temperature),
    contextWindow,
    noSystemRole: boolean(value.noSystemRole, 'aggregator.noSystemRole', reportedNoSystemRole(aggregatorEngine) ?? false),
    concurrency: integer(value.concurrency, 'aggregator.concurrency', 1, DEFAULTS.modelConcurrency),
  };
  const scaled = defaultMaxTokens(contextWindow);
  const caps = { aggregate: shared.maxTokens.given.aggregate ?? scaled.aggregate, residual: shared.maxTokens.given.residual ?? scaled.residual };
  const largest = Math.max(caps.aggregate, caps.residual);
  const which = caps.aggregate >= caps.residual ? 'aggregate' : 'residual';
  checkWindow(aggregator.contextWindow, largest, `maxTokens.${which}`, 'aggregator.contextWindow');
  return { aggregator, caps };
}

function resolveBudget(value: unknown): ResolvedOptions['budget'] {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new ConfigError('budget', `must be an object { maxCalls?, maxDurationMs? }, got ${show(value)}`);
  rejectUnknownKeys(value, BUDGET_KEYS, 'budget');
  const budget: ResolvedOptions['budget'] = {};
  const maxCalls = integer(value.maxCalls, 'budget.maxCalls', 1);
  if (maxCalls !== undefined) budget.maxCalls = maxCalls;
  if (value.maxDurationMs !== undefined) {
    if (typeof value.maxDurationMs !== 'number' || !(value.maxDurationMs > 0)) {
      throw new ConfigError('budget.maxDurationMs', `must be a number of milliseconds > 0, got ${show(value.maxDurationMs)}`);
    }
    budget.maxDurationMs = value.maxDurationMs;
  }
  return budget;
}

function resolveDrafts(value: unknown, agents: readonly ResolvedAgent[]): ResolvedDrafts | false {
  const defaults: ResolvedDrafts = { first: 'first-token', layers: true };
  if (value === undefined || value === true) return defaults;
  if (value === false) return false;
  if (!isRecord(value)) throw new ConfigError('drafts', `must be true, false or { first?, layers? }, got ${show(value)}`);
  rejectUnknownKeys(value, DRAFT_KEYS, 'drafts');
  const layers = boolean(value.layers, 'drafts.layers', defaults.layers);
  const first = value.first;
  if (first === undefined) return { ...defaults, layers };
  if (isRecord(first)) {
    rejectUnknownKeys(first, ['agent'], 'drafts.first');
    const agent = optionalString(first.agent, 'drafts.first.agent');
    if (agent === undefined || !agents.some((a) => a.name === agent)) {
      throw new ConfigError('drafts.first.agent', `must name one of the agents (${list(agents.map((a) => a.name))}), got ${show(first.agent)}`);
    }
    return { first: { agent }, layers };
  }
  if (typeof first !== 'string' || !(FIRST_DRAFTS as readonly string[]).includes(first)) {
    throw new ConfigError('drafts.first', `must be ${list(FIRST_DRAFTS)} or { agent: 'name' }, got ${show(first)}`);
  }
  return { first: first as ResolvedDrafts['first'], layers };
}

/** Validates `options` and fills in every default. Throws `ConfigError` (code CONFIG_INVALID). */
export function resolveOptions(options: AttentionMoAOptions): ResolvedOptions {
  if (!isRecord(options)) throw new ConfigError('', `must be an object { agents, aggregator, … }, got ${show(options)}`);
  rejectUnknownKeys(options, OPTION_KEYS, '');

  const temperature = numberIn(options.temperature, 'temperature', 0, 2, DEFAULTS.temperature);
  const topP = options.topP;
  if (topP !== undefined && !(typeof topP === 'number' && topP > 0 && topP <= 1)) {
    throw new ConfigError('topP', `must be a number above 0 and at most 1 (nucleus sampling; 1 keeps every token), got ${show(topP)}`);
  }
  const limits = roleLimits(options.maxTokens);
  const shared = { maxTokens: limits, temperature };

  if (!Array.isArray(options.agents)) {
    throw new ConfigError('agents', `must be an array of { name, engine, model? }, got ${show(options.agents)}`);
  }
  if (options.agents.length === 0) throw new ConfigError('agents', 'is empty: give at least one agent { name, engine }');
  const agents = options.agents.map((agent, i) => resolveAgent(agent, i, shared));
  const firstIndex = new Map<string, number>();
  agents.forEach((agent, i) => {
    const first = firstIndex.get(agent.name);
    if (first !== undefined) {
      throw new ConfigError(`agents[${i}].name`, `${show(agent.name)} is also the name of agents[${first}]; agent names must be unique`);
    }
    firstIndex.set(agent.name, i);
  });

  const { aggregator, caps } = resolveAggregator(options.aggregator, shared);
  // Aggregate and residual run on the aggregator: their caps follow its window; agents keep theirs per agent.
  const maxTokens: Required<RoleTokenLimits> = { ...limits.limits, ...caps };
  if (firstIndex.has(aggregator.name)) {
    throw new ConfigError(
      'aggregator.name',
      `${show(aggregator.name)} is also an agent's name; give the aggregator its own name so the trace tells their calls apart`,
    );
  }

  const layers = integer(options.layers, 'layers', 1, DEFAULTS.layers, DEFAULTS.maxLayers);
  const attention = oneOf(options.attention, 'attention', TOPOLOGIES, DEFAULTS.attention);
  const residual = boolean(options.residual, 'residual', DEFAULTS.residual);
  // The judge lives in the residual call: without residual synthesis it has nowhere to speak.
  const earlyStop = oneOf(options.earlyStop, 'earlyStop', EARLY_STOP_MODES, residual ? 'judge' : 'off');
  if (earlyStop === 'judge' && !residual) {
    throw new ConfigError('earlyStop', "'judge' needs residual: true (the judge answers in the residual call); use 'similarity' or 'off'");
  }
  const similarityThreshold = numberIn(options.similarityThreshold, 'similarityThreshold', 0, 1, DEFAULTS.similarityThreshold);
  const stopPhrase = optionalString(options.stopPhrase, 'stopPhrase') ?? DEFAULTS.stopPhrase;
  if (!/[\p{L}\p{N}]/u.test(stopPhrase)) {
    throw new ConfigError('stopPhrase', `must contain letters or digits (it is matched ignoring case, punctuation and markdown), got ${show(stopPhrase)}`);
  }
  const concurrency = integer(options.concurrency, 'concurrency', 1, Infinity);
  let callTimeoutMs: number | 'auto' | undefined = 'auto';
  if (options.callTimeoutMs === 'off') callTimeoutMs = undefined;
  else if (options.callTimeoutMs !== undefined && options.callTimeoutMs !== 'auto') {
    if (typeof options.callTimeoutMs !== 'number' || !(options.callTimeoutMs > 0) || !Number.isFinite(options.callTimeoutMs)) {
      throw new ConfigError('callTimeoutMs', `must be a number of milliseconds > 0, 'auto' (the default: from each call's token budget and its model's measured speed) or 'off', got ${show(options.callTimeoutMs)}`);
    }
    callTimeoutMs = options.callTimeoutMs;
  }

  return {
    agents,
    aggregator,
    layers,
    attention,
    residual,
    earlyStop,
    similarityThreshold,
    stopPhrase,
    maxTokens,
    concurrency,
    callTimeoutMs,
    temperature,
    ...(topP !== undefined ? { topP } : {}),
    prompts: prompts(options.prompts),
    budget: resolveBudget(options.budget),
    drafts: resolveDrafts(options.drafts, agents),
  };
}
