/**
 * The view model of one run: a pure reducer from the protocol's events (plus the element's own stop/failure) to
 * the state the template draws. No DOM, no clock of its own (`now` is passed in), so it is unit-tested in Node and
 * the element re-renders from it as often as it likes.
 */
import type {
  AttentionMoAEvent,
  AttentionMoAResult,
  CallRecord,
  CallRole,
  DraftSource,
  DroppedAgent,
  EarlyStopReasonMode,
  PromptCut,
  RunPlan,
} from '@attention-moa/core';
import { stripPartialReasoning } from '@attention-moa/core/lite';

export type RunStatus = 'running' | 'done' | 'stopped' | 'error';
export type CallStatus = 'streaming' | 'done' | 'failed' | 'stopped';

export interface ErrorInfo {
  name: string;
  message: string;
  /** Stable code when the error has one (runtime and protocol errors do). */
  code?: string;
}

export interface CallView {
  id: number;
  role: CallRole;
  layer: number;
  agent: string;
  target?: string;
  status: CallStatus;
  /** Raw streamed output (may contain reasoning blocks). */
  output: string;
  /** Tokens received so far. */
  tokens: number;
  promptTokens: number;
  cuts: PromptCut[];
  /** Client clock (ms) when the call started, its first token, its end. */
  startedAt: number;
  firstTokenAt?: number;
  endedAt?: number;
  record?: CallRecord;
}

export interface EarlyStopView {
  layer: number;
  /** 'judge' or 'similarity', or 'budget' when the run's call/time budget ended it. */
  mode: EarlyStopReasonMode;
  reason: string;
  similarity?: number;
}

export interface LayerView {
  layer: number;
  /** agent → call id */
  propose: Readonly<Record<string, number>>;
  /** critic → target → call id */
  critique: Readonly<Record<string, Readonly<Record<string, number>>>>;
  refine: Readonly<Record<string, number>>;
  aggregate?: number;
  residual?: number;
  output?: string;
  /** 'propose': a single agent with attention 'none' (no aggregate). */
  source?: 'propose' | 'aggregate' | 'residual';
  earlyStop?: EarlyStopView;
}

/** A provisional answer (core's `draft-*` events): shown, labelled, until the final answer streams. */
export interface DraftView {
  /** The draft's id (core numbers them 1, 2, … in a run). */
  id: number;
  /** Which call it comes from: a layer-1 proposal, or a layer's aggregate or residual before the last. */
  source: DraftSource;
  text: string;
  /** 'failed': its call failed; the text stays until the next draft or the answer replaces it. */
  status: 'streaming' | 'done' | 'failed';
}

export interface RunView {
  status: RunStatus;
  question: string;
  startedAt: number;
  endedAt?: number;
  plan?: RunPlan;
  /** Agent names in plan order (falls back to order of appearance). */
  agents: readonly string[];
  aggregator?: string;
  calls: Readonly<Record<number, CallView>>;
  /** Call ids in start order. */
  callOrder: readonly number[];
  layers: readonly LayerView[];
  /** The final answer as streamed (answer-token), replaced by the result's answer at the end. */
  answer: string;
  answerFinal: boolean;
  /** The latest draft: shown until the final answer has visible text (then kept, unused, until the run ends). */
  draft?: DraftView;
  /** A draft announced without text yet: the one shown stays until its first token (no flash of an empty box). */
  nextDraft?: DraftView;
  earlyStop?: EarlyStopView;
  dropped: readonly DroppedAgent[];
  aggregatorFallback?: { from: string; to: string; reason: string };
  result?: AttentionMoAResult;
  error?: ErrorInfo;
  /** Some engine reported scripted (simulated) output. */
  simulated: boolean;
}

/** What the reducer consumes: the protocol's events, plus the element's stop and failures outside the protocol. */
export type RunAction = AttentionMoAEvent | { type: 'stopped' } | { type: 'failed'; error: ErrorInfo };

export function startRun(question: string, now: number): RunView {
  return {
    status: 'running',
    question,
    startedAt: now,
    agents: [],
    calls: {},
    callOrder: [],
    layers: [],
    answer: '',
    answerFinal: false,
    dropped: [],
    simulated: false,
  };
}

export function errorInfo(error: unknown): ErrorInfo {
  if (error && typeof error === 'object') {
    const e = error as { name?: unknown; message?: unknown; code?: unknown };
    const info: ErrorInfo = {
      name: typeof e.name === 'string' && e.name ? e.name : 'Error',
      message: typeof e.message === 'string' ? e.message : String(error),
    };
    if (typeof e.code === 'string' && e.code) info.code = e.code;
    return info;
  }
  // Worker transports sometimes reject with "Name: message" strings.
  const text = String(error);
  const match = /^([A-Z][A-Za-z]*(?:Error|Exception)):\s*([\s\S]*)$/.exec(text);
  return match ? { name: match[1]!, message: match[2]! } : { name: 'Error', message: text };
}

function isScripted(record: CallRecord): boolean {
  return record.usage?.extra?.['scripted'] === true;
}

function emptyLayer(layer: number): LayerView {
  return { layer, propose: {}, critique: {}, refine: {} };
}

function withLayer(state: RunView, layer: number, update: (l: LayerView) => LayerView): RunView {
  const layers = state.layers.slice();
  for (let n = layers.length + 1; n <= layer; n++) layers.push(emptyLayer(n));
  if (layer < 1) return state;
  layers[layer - 1] = update(layers[layer - 1]!);
  return { ...state, layers };
}

function placeCall(layer: LayerView, call: CallView): LayerView {
  switch (call.role) {
    case 'propose':
      return { ...layer, propose: { ...layer.propose, [call.agent]: call.id } };
    case 'critique': {
      const target = call.target ?? call.agent;
      return { ...layer, critique: { ...layer.critique, [call.agent]: { ...layer.critique[call.agent], [target]: call.id } } };
    }
    case 'refine':
      return { ...layer, refine: { ...layer.refine, [call.agent]: call.id } };
    case 'aggregate':
      return { ...layer, aggregate: call.id };
    case 'residual':
      return { ...layer, residual: call.id };
    default:
      return layer;
  }
}

function addAgent(state: RunView, agent: string, role: CallRole): RunView {
  // The aggregator's aggregate/residual calls are not an agent column in the map.
  if (role === 'aggregate' || role === 'residual' || state.agents.includes(agent)) return state;
  return { ...state, agents: [...state.agents, agent] };
}

function newCall(
  state: RunView,
  fields: { call: number; role: CallRole; layer: number; agent: string; target?: string; promptTokens?: number; cuts?: PromptCut[] },
  now: number,
): RunView {
  const call: CallView = {
    id: fields.call,
    role: fields.role,
    layer: fields.layer,
    agent: fields.agent,
    ...(fields.target !== undefined ? { target: fields.target } : {}),
    status: 'streaming',
    output: '',
    tokens: 0,
    promptTokens: fields.promptTokens ?? 0,
    cuts: fields.cuts ?? [],
    startedAt: now,
  };
  let next: RunView = { ...state, calls: { ...state.calls, [call.id]: call }, callOrder: [...state.callOrder, call.id] };
  next = addAgent(next, call.agent, call.role);
  return withLayer(next, call.layer, (l) => placeCall(l, call));
}

function updateCall(state: RunView, id: number, update: (c: CallView) => CallView): RunView {
  const call = state.calls[id];
  if (!call) return state;
  return { ...state, calls: { ...state.calls, [id]: update(call) } };
}

function settleStreaming(state: RunView, status: CallStatus, now: number): RunView {
  let calls: Record<number, CallView> | undefined;
  for (const id of state.callOrder) {
    const call = state.calls[id]!;
    if (call.status !== 'streaming') continue;
    calls ??= { ...state.calls };
    calls[id] = { ...call, status, endedAt: now };
  }
  return calls ? { ...state, calls } : state;
}

/** Letters or digits: text a reader sees, not only Markdown syntax ("##", "**", "- ") or spaces. */
const VISIBLE = /[\p{L}\p{N}]/u;

/** A new draft takes the place of the one shown. */
function promoteDraft(state: RunView, draft: DraftView): RunView {
  return { ...state, draft, nextDraft: undefined };
}

export function reduceRun(state: RunView, action: RunAction, now: number): RunView {
  switch (action.type) {
    case 'run-start': {
      const { plan } = action;
      return { ...state, plan, agents: [...plan.agents], aggregator: plan.aggregator };
    }
    case 'call-start':
      if (state.calls[action.call]) return state;
      return newCall(state, action, now);
    case 'call-token': {
      const base = state.calls[action.call] ? state : newCall(state, action, now);
      return updateCall(base, action.call, (c) => ({
        ...c,
        output: c.output + action.token,
        tokens: c.tokens + 1,
        firstTokenAt: c.firstTokenAt ?? now,
      }));
    }
    case 'call-end': {
      const { record } = action;
      const base = state.calls[record.id]
        ? state
        : newCall(state, { call: record.id, role: record.role, layer: record.layer, agent: record.agent, target: record.target, promptTokens: record.promptTokens, cuts: record.cuts }, now);
      const status: CallStatus = record.error || record.finishReason === 'error' || record.finishReason === 'timeout'
        ? 'failed'
        : record.finishReason === 'abort' ? 'stopped' : 'done';
      const next = updateCall(base, record.id, (c) => ({
        ...c,
        status,
        output: record.output || c.output,
        promptTokens: record.promptTokens,
        cuts: record.cuts,
        endedAt: now,
        record,
      }));
      return isScripted(record) && !next.simulated ? { ...next, simulated: true } : next;
    }
    case 'agent-dropped':
      return { ...state, dropped: [...state.dropped, action.dropped] };
    case 'aggregator-fallback':
      return { ...state, aggregatorFallback: { from: action.from, to: action.to, reason: action.reason } };
    case 'layer-end':
      return withLayer(state, action.layer, (l) => ({ ...l, output: action.output, source: action.source }));
    case 'early-stop': {
      const earlyStop: EarlyStopView = { layer: action.layer, mode: action.mode, reason: action.reason };
      if (action.similarity !== undefined) earlyStop.similarity = action.similarity;
      return withLayer({ ...state, earlyStop }, action.layer, (l) => ({ ...l, earlyStop }));
    }
    case 'draft-start': {
      // No draft after the answer began (core sends none; a custom runner might).
      if (state.answerFinal || state.answer) return state;
      return { ...state, nextDraft: { id: action.draft, source: action.source, text: '', status: 'streaming' } };
    }
    case 'draft-token': {
      if (state.answerFinal || state.answer) return state;
      if (state.draft?.id === action.draft) return { ...state, draft: { ...state.draft, text: state.draft.text + action.token } };
      if (state.nextDraft?.id !== action.draft) return state;
      const next = { ...state.nextDraft, text: state.nextDraft.text + action.token };
      // Shown once it has text a reader sees: a first token "##" would replace the draft by an empty heading.
      return VISIBLE.test(next.text) ? promoteDraft(state, next) : { ...state, nextDraft: next };
    }
    case 'draft-end': {
      if (state.answerFinal || state.answer) return state;
      // 'done' carries the whole draft (what the tokens said, trimmed); a failed one keeps what was shown.
      const ended = (d: DraftView): DraftView => ({ ...d, status: action.status, text: action.status === 'done' && action.text ? action.text : d.text });
      if (state.draft?.id === action.draft) return { ...state, draft: ended(state.draft) };
      if (state.nextDraft?.id !== action.draft) return state;
      const next = ended(state.nextDraft);
      return VISIBLE.test(next.text) ? promoteDraft(state, next) : { ...state, nextDraft: undefined };
    }
    case 'answer-token':
      return state.answerFinal ? state : { ...state, answer: state.answer + action.token };
    case 'answer-reset':
      // The streaming call failed (or the answer went another way): what was shown is withdrawn.
      return state.answerFinal ? state : { ...state, answer: '' };
    case 'done': {
      const { result } = action;
      let next: RunView = settleStreaming(state, 'done', now);
      next = { ...next, status: 'done', endedAt: now, result, answer: result.answer, answerFinal: true, draft: undefined, nextDraft: undefined };
      if (result.earlyStop && !next.earlyStop) next = reduceRun(next, { type: 'early-stop', ...result.earlyStop }, now);
      result.layerOutputs.forEach((output, i) => {
        if (next.layers[i]?.output === undefined) next = withLayer(next, i + 1, (l) => ({ ...l, output }));
      });
      if (!next.simulated && result.trace.some(isScripted)) next = { ...next, simulated: true };
      return next;
    }
    case 'error':
      return { ...settleStreaming(state, 'stopped', now), status: 'error', endedAt: now, error: errorInfo(action.error) };
    case 'failed':
      return { ...settleStreaming(state, 'stopped', now), status: 'error', endedAt: now, error: action.error };
    case 'stopped':
      if (state.status !== 'running') return state;
      return { ...settleStreaming(state, 'stopped', now), status: 'stopped', endedAt: now };
    default:
      return state;
  }
}

// ---------------------------------------------------------------- selectors

/** What a call shows: reasoning blocks removed (the protocol's cleaned text once the call ended). */
export function callText(call: CallView): string {
  return call.record ? call.record.text : stripPartialReasoning(call.output);
}

/** True when the call's answer was cut at its token limit (the model had more to say). */
export function wasCut(call: CallView | undefined): boolean {
  return !!call?.record && (call.record.cut ?? call.record.finishReason === 'length');
}

/** The call whose text became the final answer: the one that made the last layer's output (once known). */
export function answerCall(view: RunView): CallView | undefined {
  const layer = [...view.layers].reverse().find((l) => l.output !== undefined);
  if (!layer) return undefined;
  const id =
    layer.source === 'residual' ? layer.residual
    : layer.source === 'aggregate' ? layer.aggregate
    : layer.source === 'propose' ? Object.values(layer.propose)[0]
    : undefined;
  return id === undefined ? undefined : view.calls[id];
}

export interface AgentStats {
  agent: string;
  calls: number;
  completionTokens: number;
  promptTokens: number;
  /** Decode speed over the agent's calls; undefined until measurable. */
  tokensPerSecond?: number;
}

/** Token counts and decode speed per agent (the aggregator included), in order of first appearance. */
export function agentStats(view: RunView, now: number): AgentStats[] {
  const byAgent = new Map<string, { calls: number; tokens: number; prompt: number; ms: number; timedTokens: number }>();
  for (const id of view.callOrder) {
    const call = view.calls[id]!;
    const entry = byAgent.get(call.agent) ?? { calls: 0, tokens: 0, prompt: 0, ms: 0, timedTokens: 0 };
    const record = call.record;
    const tokens = record?.usage?.completion_tokens ?? call.tokens;
    entry.calls += 1;
    entry.tokens += tokens;
    entry.prompt += record?.usage?.prompt_tokens ?? call.promptTokens;
    // Decode time: from the first token to the end (prefill excluded), engine clock when the call has ended.
    let ms: number | undefined;
    if (record) ms = record.endedAt - (record.firstTokenAt ?? record.startedAt);
    else if (call.firstTokenAt !== undefined) ms = (call.endedAt ?? now) - call.firstTokenAt;
    if (ms !== undefined && ms > 0 && tokens > 1) {
      entry.ms += ms;
      entry.timedTokens += tokens - 1; // n tokens span n − 1 intervals after the first
    }
    byAgent.set(call.agent, entry);
  }
  return [...byAgent].map(([agent, e]) => {
    const stats: AgentStats = { agent, calls: e.calls, completionTokens: e.tokens, promptTokens: e.prompt };
    if (e.ms >= 50 && e.timedTokens > 0) stats.tokensPerSecond = (e.timedTokens * 1000) / e.ms;
    return stats;
  });
}

export interface AttentionCell {
  critic: string;
  target: string;
  self: boolean;
  /** Undefined when the topology has no such critique (or it has not started). */
  call?: CallView;
  tokens: number;
  /** Length relative to the longest critique in this layer, 0..1 (drives the colour). */
  intensity: number;
}

/** The layer's n × n attention map: rows are critics, columns are targets, in agent order. */
export function attentionMatrix(view: RunView, layer: LayerView): AttentionCell[][] {
  const tokensOf = (call: CallView | undefined) => (call ? call.record?.usage?.completion_tokens ?? call.tokens : 0);
  let max = 0;
  const rows = view.agents.map((critic) =>
    view.agents.map((target) => {
      const id = layer.critique[critic]?.[target];
      const call = id === undefined ? undefined : view.calls[id];
      const tokens = tokensOf(call);
      max = Math.max(max, tokens);
      const cell: AttentionCell = { critic, target, self: critic === target, tokens, intensity: 0 };
      if (call) cell.call = call;
      return cell;
    }),
  );
  for (const row of rows) for (const cell of row) cell.intensity = max > 0 ? cell.tokens / max : 0;
  return rows;
}

/** True once the layer is past its critique stage: an empty map cell then will stay empty. */
export function critiqueStageOver(view: RunView, layer: LayerView): boolean {
  return (
    Object.keys(layer.refine).length > 0 ||
    layer.aggregate !== undefined ||
    layer.output !== undefined ||
    view.layers.length > layer.layer ||
    view.status !== 'running'
  );
}

/** Whether the run's topology has critic critique target (the plan lists the pairs; without a plan, assume so). */
export function critiquePlanned(view: RunView, critic: string, target: string): boolean {
  const pairs = view.plan?.critiques;
  if (!pairs) return true;
  return pairs.some((p) => p.critic === critic && p.target === target);
}

/** What the answer area of a turn shows. */
export interface AnswerArea {
  /** The final answer (as it streams, or complete), the latest draft, or nothing yet. */
  shows: 'answer' | 'draft' | 'none';
  /** The draft shown (`shows === 'draft'`). */
  draft?: DraftView;
  /** Names what is shown (`draft:<id>`, `answer`), so a view can tell when one text replaces another. */
  key: string;
}

/**
 * The answer area with drafts on (`drafts`) or off. The final answer replaces a draft once it has visible text
 * (a first token "##" would otherwise swap the draft for an empty heading); until then the draft stays.
 */
export function answerArea(view: RunView, drafts: boolean): AnswerArea {
  const answer = view.answerFinal || (view.answer !== '' && (!drafts || !view.draft || VISIBLE.test(view.answer)));
  if (answer) return { shows: 'answer', key: 'answer' };
  if (drafts && view.draft) return { shows: 'draft', draft: view.draft, key: `draft:${view.draft.id}` };
  return { shows: 'none', key: 'none' };
}

/** Calls still streaming (for "n calls running" and the busy state). */
export function activeCalls(view: RunView): CallView[] {
  return view.callOrder.map((id) => view.calls[id]!).filter((c) => c.status === 'streaming');
}
