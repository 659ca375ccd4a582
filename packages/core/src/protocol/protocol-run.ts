/**
 * One run of the protocol: its state (who is alive, what each layer produced, the trace) and its layer loop.
 *
 * Per layer l (spec: attention-moa.md): propose (parallel) → critique (parallel across critics; an agent's own
 * critiques queue on its model) → refine (parallel) → aggregate → from layer 2 residual synthesis with the
 * judge. Each phase waits for the previous one to finish: critiques need every answer, refines need every
 * suggestion about their answer.
 *
 * Faults: an agent whose call fails (error, timeout, empty reply, prompt that cannot fit) is dropped for the rest
 * of the run; calls not yet started that involve it are skipped, and later critique matrices hold survivors only.
 * Suggestions it completed before failing still count. A failing aggregator is replaced by the first surviving
 * agent (for the rest of the run); a failing stand-in is dropped and the next survivor stands in. The run fails
 * only when no agent is left.
 */
import { estimateTokens } from '../engine/tokens.js';
import type { ChatMessage } from '../engine/contract.js';
import { AnswerStream } from './answer-stream.js';
import { DraftStream, type CallTap } from './draft-stream.js';
import { CallRunner, type CallOutcome, type CallRequest, type Endpoint } from './call-runner.js';
import type { PromptSpec } from './context-budget.js';
import { splitConversation } from './prompts.js';
import { similarity } from './early-stop.js';
import { reviewOutput, type ReviewContext } from './output-review.js';
import { AllAgentsFailedError, AttentionMoAError, EngineError, toError } from './errors.js';
import type { PermitQueue } from './permit-queue.js';
import type { ResolvedAgent, ResolvedOptions } from './options.js';
import { callsForLayer, critiquePairs, isSingleModel, type CritiquePair } from './topology.js';
import type {
  AttentionMoAEvent,
  AttentionMoAResult,
  CallRecord,
  CallRole,
  DroppedAgent,
  RefinePromptContext,
  RunPlan,
  RunUsage,
} from './types.js';

export interface RunAgent {
  config: ResolvedAgent;
  endpoint: Endpoint;
}

export interface RunSetup {
  options: ResolvedOptions;
  plan: RunPlan;
  agents: RunAgent[];
  aggregator: Endpoint;
  global: PermitQueue;
}

type Suggestion = RefinePromptContext['suggestions'][number];
type EarlyStop = NonNullable<AttentionMoAResult['earlyStop']>;

/** How long a failed run waits for its calls to record themselves before it reports (they stop at once on abort). */
const SETTLE_MS = 40;

function reasonOf(outcome: CallOutcome): string {
  if (outcome.status !== 'failed') return '';
  const { error } = outcome;
  return error.name && error.name !== 'Error' && !error.message.startsWith(error.name) ? `${error.name}: ${error.message}` : error.message;
}

/** Engines report usage in the final chunk; where one does not, the prompt size we measured and an estimate stand in. */
function runUsage(trace: readonly CallRecord[]): RunUsage {
  const promptTokens = trace.reduce((sum, r) => sum + (r.usage?.prompt_tokens ?? r.promptTokens), 0);
  const reusedPromptTokens = trace.reduce((sum, r) => sum + (r.usage?.prompt_tokens_details?.cached_tokens ?? 0), 0);
  return {
    calls: trace.length,
    promptTokens,
    processedPromptTokens: promptTokens - reusedPromptTokens,
    reusedPromptTokens,
    completionTokens: trace.reduce((sum, r) => sum + (r.usage?.completion_tokens ?? estimateTokens(r.output)), 0),
  };
}

/**
 * The order critique calls queue in: round-robin over critics (each critic's first critique, then each one's second,
 * …), each critic's own in pair order. Agents on their own engines see no difference; agents sharing one engine that
 * decodes several requests at once then run different critics side by side, each following on from its previous
 * critique, whose prompt prefix (instruction, question, own answer) the engine still has cached.
 */
function launchOrder(pairs: readonly CritiquePair[]): CritiquePair[] {
  const rank = new Map<string, number>();
  const keyed = pairs.map((pair, index) => {
    const round = rank.get(pair.critic) ?? 0;
    rank.set(pair.critic, round + 1);
    return { pair, round, index };
  });
  return keyed.sort((a, b) => a.round - b.round || a.index - b.index).map((k) => k.pair);
}

function tapOf(tap: CallTap | undefined): { tap?: CallTap } {
  return tap ? { tap } : {};
}

export class ProtocolRun {
  private readonly options: ResolvedOptions;
  private readonly t0 = performance.now();
  private readonly runner: CallRunner;
  private readonly answer: AnswerStream;
  private readonly drafts: DraftStream;
  private readonly alive: Set<string>;
  private readonly dropped: DroppedAgent[] = [];
  private readonly layerOutputs: string[] = [];
  private aggregator: Endpoint;
  /** Name of the agent standing in for the aggregator, once it failed. */
  private standIn: string | undefined;
  private aggregatorFallback: AttentionMoAResult['aggregatorFallback'];
  private earlyStop: EarlyStop | undefined;

  constructor(
    private readonly setup: RunSetup,
    private readonly conversation: ChatMessage[],
    private readonly signal: AbortSignal,
    private readonly emit: (event: AttentionMoAEvent) => void,
  ) {
    this.options = setup.options;
    this.aggregator = setup.aggregator;
    this.alive = new Set(setup.agents.map((a) => a.config.name));
    this.drafts = new DraftStream(emit, setup.options.drafts);
    // The final answer replaces any draft: once it streams, no draft event follows.
    this.answer = new AnswerStream((event) => {
      this.drafts.close();
      emit(event);
    });
    this.runner = new CallRunner({
      signal,
      emit,
      now: () => this.now(),
      global: setup.global,
      callTimeoutMs: setup.options.callTimeoutMs,
    });
    signal.addEventListener('abort', () => this.runner.interruptAll(), { once: true });
  }

  private now(): number {
    return Math.round((performance.now() - this.t0) * 1000) / 1000;
  }

  async execute(): Promise<AttentionMoAResult> {
    try {
      if (this.signal.aborted) throw this.signal.reason;
      this.emit({ type: 'run-start', plan: this.setup.plan });
      for (let layer = 1; layer <= this.options.layers; layer++) {
        if (layer >= 2) {
          const stop = this.budgetStop(layer);
          if (stop) {
            this.stop(stop);
            break;
          }
        }
        await this.runLayer(layer);
        if (this.earlyStop) break;
      }
      const answer = this.layerOutputs[this.layerOutputs.length - 1]!;
      this.answer.complete(answer);
      return this.result(answer);
    } catch (thrown) {
      const error = this.signal.aborted
        ? (this.signal.reason as AttentionMoAError)
        : thrown instanceof AttentionMoAError
          ? thrown
          : new EngineError(`unexpected failure: ${toError(thrown).message}`, { cause: thrown });
      await this.runner.settled(SETTLE_MS);
      error.trace = this.trace();
      error.dropped = this.dropped.slice();
      error.layerOutputs = this.layerOutputs.slice();
      throw error;
    }
  }

  private trace() {
    return this.runner.records.slice().sort((a, b) => a.id - b.id);
  }

  private result(answer: string): AttentionMoAResult {
    const trace = this.trace();
    return {
      answer,
      layerOutputs: this.layerOutputs.slice(),
      layersRun: this.layerOutputs.length,
      ...(this.earlyStop ? { earlyStop: this.earlyStop } : {}),
      trace,
      dropped: this.dropped.slice(),
      ...(this.aggregatorFallback ? { aggregatorFallback: this.aggregatorFallback } : {}),
      usage: runUsage(trace),
      durationMs: this.now(),
    };
  }

  private aliveAgents(): RunAgent[] {
    return this.setup.agents.filter((a) => this.alive.has(a.config.name));
  }

  private drop(agent: string, layer: number, role: CallRole, reason: string): void {
    if (!this.alive.delete(agent)) return;
    const dropped: DroppedAgent = { agent, layer, role, reason };
    this.dropped.push(dropped);
    this.emit({ type: 'agent-dropped', dropped });
  }

  private allFailed(layer: number, role: CallRole): AllAgentsFailedError {
    const reasons = this.dropped.map((d) => `${d.agent} (${d.role}, layer ${d.layer}): ${d.reason}`).join('; ');
    return new AllAgentsFailedError(`No agent is left to answer (layer ${layer}, ${role}). Dropped: ${reasons || 'none'}`);
  }

  private stop(stop: EarlyStop): void {
    this.earlyStop = stop;
    this.emit({ type: 'early-stop', ...stop });
  }

  private budgetStop(layer: number): EarlyStop | undefined {
    const { maxCalls, maxDurationMs } = this.options.budget;
    if (maxCalls !== undefined) {
      const need = callsForLayer(this.options.attention, this.alive.size, layer, {
        residual: this.options.residual,
        singleModel: isSingleModel(this.options.attention, this.setup.agents.length),
      });
      const made = this.runner.records.length;
      if (made + need > maxCalls) {
        return { layer: layer - 1, mode: 'budget', reason: `layer ${layer} needs ${need} calls; ${made} of budget.maxCalls ${maxCalls} are used` };
      }
    }
    if (maxDurationMs !== undefined && this.now() >= maxDurationMs) {
      return { layer: layer - 1, mode: 'budget', reason: `budget.maxDurationMs ${maxDurationMs} ms has passed (${Math.round(this.now())} ms)` };
    }
    return undefined;
  }

  /** The user's current question: the last user message. */
  private question(): string {
    const turns = splitConversation(this.conversation).turns;
    return [...turns].reverse().find((m) => m.role === 'user')?.content ?? '';
  }

  /** The review of one call's output (see output-review.ts). */
  private review(ctx: Omit<ReviewContext, 'question' | 'stopPhrase'>): CallRequest['review'] {
    const full: ReviewContext = { ...ctx, question: this.question(), stopPhrase: this.options.stopPhrase };
    return (text, finishReason, messages) => reviewOutput(text, finishReason, { ...full, prompt: messages.map((m) => m.content).join('\n\n') });
  }

  private spec(parts: PromptSpec['parts'], build: PromptSpec['build']): PromptSpec {
    return { parts, conversation: this.conversation, build };
  }

  private async runLayer(layer: number): Promise<void> {
    const o = this.options;
    const isLast = layer === o.layers;
    const singleModel = isSingleModel(o.attention, this.setup.agents.length);
    const residualHere = o.residual && layer >= 2;
    const reference = layer >= 2 ? this.layerOutputs[this.layerOutputs.length - 1] : undefined;

    const proposals = await this.propose(layer, reference, isLast && singleModel && !residualHere);
    let answers = proposals;
    if (o.attention !== 'none') {
      const suggestions = await this.critique(layer, proposals);
      answers = await this.refine(layer, proposals, suggestions);
    }
    const final = this.aliveAgents().filter((a) => answers.has(a.config.name));
    if (final.length === 0) throw this.allFailed(layer, o.attention === 'none' ? 'propose' : 'refine');

    let output: string;
    let source: 'propose' | 'aggregate' | 'residual';
    if (singleModel) {
      output = answers.get(final[0]!.config.name)!;
      source = 'propose';
    } else {
      const list = final.map((a) => ({ agent: a.config.name, text: answers.get(a.config.name)! }));
      const aggregate = await this.aggregatorCall('aggregate', layer, isLast && !residualHere, undefined, list.map((a) => ({ name: `answer of ${a.agent}`, text: a.text })), (texts, conversation) =>
        o.prompts.aggregate({ conversation, layer, answers: list.map((a, i) => ({ agent: a.agent, text: texts[i]! })) }),
        list.map((a) => a.text),
      );
      output = aggregate.text;
      source = 'aggregate';
    }

    // The judge replied without any verdict form (small models often just answer): the similarity measure decides.
    let judgeSilent = false;
    if (residualHere) {
      const judge = o.earlyStop === 'judge';
      const rounds = [...this.layerOutputs, output];
      const residual = await this.aggregatorCall('residual', layer, isLast, judge ? o.stopPhrase : undefined, rounds.map((r, i) => ({ name: `round ${i + 1}`, text: r })), (texts, conversation) =>
        o.prompts.residual({ conversation, layer, rounds: texts, judge, stopPhrase: o.stopPhrase }),
        rounds,
        judge,
      );
      if (residual.record.verdict === 'stop' || residual.record.verdict === 'remark') {
        this.stop({ layer, mode: 'judge', reason: `the judge answered the stop phrase: layer ${layer} did not improve on layer ${layer - 1}` });
      } else if (!residual.record.roleCheck?.action) {
        output = residual.text;
        source = 'residual';
      }
      judgeSilent = judge && residual.record.verdict === 'answer';
      // Else the residual gave no usable answer (its record says so): the layer's aggregate stays the layer's output.
    }

    // At the last layer a similarity stop would change nothing: the run ends there anyway with this output.
    if (!this.earlyStop && (o.earlyStop === 'similarity' || judgeSilent) && layer >= 2 && !isLast) {
      const value = similarity(this.layerOutputs[this.layerOutputs.length - 1]!, output);
      if (value >= o.similarityThreshold) {
        this.stop({
          layer,
          mode: 'similarity',
          reason: `${judgeSilent ? 'the judge gave no verdict (it answered instead), so the similarity measure decided: ' : ''}layer ${layer}'s output is ${value.toFixed(3)} similar to layer ${layer - 1}'s (threshold ${o.similarityThreshold})`,
          similarity: value,
        });
      }
    }
    if (source === 'residual' && !isLast && !this.earlyStop) {
      const call = this.runner.records.filter((r) => r.role === 'residual' && r.layer === layer && !r.error).pop();
      if (call) this.drafts.whole({ role: 'residual', layer, agent: call.agent, call: call.id }, output);
    }
    this.layerOutputs.push(output);
    this.emit({ type: 'layer-end', layer, output, source });
  }

  private async propose(layer: number, reference: string | undefined, streamAnswer: boolean): Promise<Map<string, string>> {
    const o = this.options;
    const proposals = new Map<string, string>();
    const setAside = new Map<string, string>();
    await Promise.all(
      this.aliveAgents().map(async ({ config, endpoint }) => {
        const parts = reference === undefined ? [] : [{ name: 'reference', text: reference }];
        const outcome = await this.runner.run({
          role: 'propose',
          layer,
          agent: config.name,
          endpoint,
          maxTokens: config.maxTokens.propose,
          prompt: this.spec(parts, (texts, conversation) =>
            o.prompts.propose({
              conversation,
              layer,
              ...(config.system ? { system: config.system } : {}),
              agent: config.name,
              ...(reference === undefined ? {} : { reference: texts[0]! }),
            }),
          ),
          ...(streamAnswer ? { answer: { stream: this.answer } } : {}),
          ...tapOf(layer === 1 && !streamAnswer ? this.drafts.proposal(config.name) : undefined),
          skip: () => !this.alive.has(config.name),
          review: this.review({ role: 'propose', layer, inputs: reference === undefined ? [] : [reference], maxTokens: config.maxTokens.propose }),
        });
        if (outcome.status === 'ok') (outcome.record.roleCheck?.action ? setAside : proposals).set(config.name, outcome.text);
        else if (outcome.status === 'failed') this.drop(config.name, layer, 'propose', reasonOf(outcome));
      }),
    );
    // A proposal set aside by its review (it only repeats the prompt) sits this layer out, unless no agent has a
    // usable one: then they are all used, as the layer has nothing better.
    if (proposals.size === 0) for (const [name, text] of setAside) proposals.set(name, text);
    if (proposals.size === 0) throw this.allFailed(layer, 'propose');
    return proposals;
  }

  /** Returns, per target, the suggestions about its answer in critic order. */
  private async critique(layer: number, proposals: Map<string, string>): Promise<Map<string, Suggestion[]>> {
    const o = this.options;
    const critics = this.aliveAgents().filter((a) => proposals.has(a.config.name));
    const byName = new Map(critics.map((a) => [a.config.name, a]));
    const pairs = critiquePairs(o.attention, critics.map((a) => a.config.name));
    const texts = new Map<string, string>(); // `${critic}\u0000${target}` → suggestion text
    await Promise.all(
      launchOrder(pairs).map(async ({ critic, target }) => {
        const { config, endpoint } = byName.get(critic)!;
        const self = critic === target;
        const own = proposals.get(critic)!;
        const parts = self
          ? [{ name: 'own answer', text: own }]
          : [
              { name: 'own answer', text: own },
              { name: `answer of ${target}`, text: proposals.get(target)! },
            ];
        const request: CallRequest = {
          role: 'critique',
          layer,
          agent: critic,
          target,
          endpoint,
          maxTokens: config.maxTokens.critique,
          allowEmpty: true,
          prompt: this.spec(parts, (t, conversation) =>
            o.prompts.critique({
              conversation,
              layer,
              ...(config.system ? { system: config.system } : {}),
              critic,
              target,
              ownAnswer: t[0]!,
              targetAnswer: self ? t[0]! : t[1]!,
              self,
            }),
          ),
          skip: () => !this.alive.has(critic) || !this.alive.has(target),
          review: this.review({ role: 'critique', layer, subject: proposals.get(target)!, inputs: parts.map((p) => p.text), maxTokens: config.maxTokens.critique }),
        };
        const outcome = await this.runner.run(request);
        // A critique set aside by its review (empty, an echo, off-topic) gives no suggestion; its record says why.
        if (outcome.status === 'ok' && outcome.text && !outcome.record.roleCheck?.action) texts.set(`${critic}\u0000${target}`, outcome.text);
        else if (outcome.status === 'failed') this.drop(critic, layer, 'critique', reasonOf(outcome));
      }),
    );
    const suggestions = new Map<string, Suggestion[]>();
    for (const { critic, target } of pairs) {
      const text = texts.get(`${critic}\u0000${target}`);
      if (text === undefined) continue;
      const list = suggestions.get(target) ?? [];
      list.push({ from: critic, self: critic === target, text });
      suggestions.set(target, list);
    }
    return suggestions;
  }

  private async refine(layer: number, proposals: Map<string, string>, suggestions: Map<string, Suggestion[]>): Promise<Map<string, string>> {
    const o = this.options;
    const refined = new Map<string, string>();
    await Promise.all(
      this.aliveAgents()
        .filter((a) => proposals.has(a.config.name))
        .map(async ({ config, endpoint }) => {
          const previous = proposals.get(config.name)!;
          const list = suggestions.get(config.name) ?? [];
          // Nothing to integrate (every critique of it came back empty or failed): the answer stands as proposed.
          if (list.length === 0) {
            refined.set(config.name, previous);
            return;
          }
          const parts = [
            { name: 'previous answer', text: previous },
            ...list.map((s) => ({ name: s.self ? 'own suggestion' : `suggestion from ${s.from}`, text: s.text })),
          ];
          const outcome = await this.runner.run({
            role: 'refine',
            layer,
            agent: config.name,
            endpoint,
            maxTokens: config.maxTokens.refine,
            // An empty refinement keeps the previous answer (recorded on the call), instead of dropping the agent.
            allowEmpty: true,
            review: this.review({ role: 'refine', layer, subject: previous, inputs: parts.map((p) => p.text), maxTokens: config.maxTokens.refine }),
            prompt: this.spec(parts, (t, conversation) =>
              o.prompts.refine({
                conversation,
                layer,
                ...(config.system ? { system: config.system } : {}),
                agent: config.name,
                previousAnswer: t[0]!,
                suggestions: list.map((s, i) => ({ ...s, text: t[i + 1]! })),
              }),
            ),
            skip: () => !this.alive.has(config.name),
          });
          if (outcome.status === 'ok') refined.set(config.name, outcome.record.roleCheck?.action ? previous : outcome.text);
          else if (outcome.status === 'failed') this.drop(config.name, layer, 'refine', reasonOf(outcome));
        }),
    );
    if (refined.size === 0) throw this.allFailed(layer, 'refine');
    return refined;
  }

  /** An aggregate or residual call, standing in with surviving agents' engines while the aggregator fails. */
  private async aggregatorCall(
    role: 'aggregate' | 'residual',
    layer: number,
    streamAnswer: boolean,
    stopPhrase: string | undefined,
    parts: PromptSpec['parts'],
    build: PromptSpec['build'],
    inputs: string[],
    judge = false,
  ): Promise<Extract<CallOutcome, { status: 'ok' }>> {
    for (;;) {
      if (this.standIn !== undefined && !this.alive.has(this.standIn)) {
        this.replaceAggregator(layer, role, `stand-in ${this.standIn} was dropped`, false);
      }
      const endpoint = this.aggregator;
      const outcome = await this.runner.run({
        role,
        layer,
        agent: endpoint.name,
        endpoint,
        maxTokens: this.options.maxTokens[role],
        prompt: this.spec(parts, build),
        ...(streamAnswer ? { answer: { stream: this.answer, ...(stopPhrase !== undefined ? { stopPhrase } : {}) } } : {}),
        // A residual may be empty: a stop verdict, or no usable answer (the layer's aggregate then stands).
        ...(role === 'residual' ? { allowEmpty: true } : {}),
        review: this.review({ role, layer, inputs, maxTokens: this.options.maxTokens[role], judge }),
        // An aggregate that is not the answer is the next draft, live (a residual is shown once judged: see runLayer).
        ...tapOf(!streamAnswer && role === 'aggregate' ? this.drafts.aggregate(layer, endpoint.name) : undefined),
      });
      if (outcome.status === 'ok') return outcome;
      this.replaceAggregator(layer, role, reasonOf(outcome), true);
    }
  }

  private replaceAggregator(layer: number, role: CallRole, reason: string, failed: boolean): void {
    const from = this.aggregator.name;
    if (failed && this.standIn !== undefined) this.drop(this.standIn, layer, role, `failed standing in for the aggregator: ${reason}`);
    const next = this.aliveAgents()[0];
    if (!next) {
      throw new AllAgentsFailedError(
        `The aggregator failed (${from}, ${role}, layer ${layer}: ${reason}) and no agent is left to stand in. ` +
          `Dropped: ${this.dropped.map((d) => `${d.agent}: ${d.reason}`).join('; ') || 'none'}`,
      );
    }
    this.standIn = next.config.name;
    // The stand-in answers with its own model and window, at the aggregator's temperature.
    this.aggregator = { ...next.endpoint, temperature: this.setup.aggregator.temperature };
    const to = next.config.name;
    this.aggregatorFallback = {
      from: this.setup.aggregator.name,
      to,
      reason: this.aggregatorFallback?.reason ?? reason,
    };
    this.emit({ type: 'aggregator-fallback', from, to, reason });
  }
}
