/**
 * `AttentionMoA`: the public face of the orchestrator. Construction validates the options (throwing
 * `ConfigError`) and sets up one queue per (engine, model); `run()` streams a run's events, `complete()`
 * resolves to its result. Runs of one instance share its queues, so two runs at once never overlap requests on
 * a model either. Nothing here touches the DOM: it runs in browsers, workers and Node 20 alike.
 */
import type { ChatEngine, ChatMessage } from '../engine/contract.js';
import type { Endpoint } from './call-runner.js';
import { tokenCounter, type TokenCounter } from './context-budget.js';
import { AbortError, AttentionMoAError, ConfigError } from './errors.js';
import { EventChannel } from './event-channel.js';
import { assertQuestionFits, resolveMessages } from './messages.js';
import { PermitQueues, PermitQueue } from './permit-queue.js';
import { EnsembleCompletions } from './openai/completions.js';
import { resolveOptions, type ResolvedEndpoint, type ResolvedOptions } from './options.js';
import { ProtocolRun, type RunSetup } from './protocol-run.js';
import { callsForLayer, critiquePairs, isSingleModel } from './topology.js';
import type { AttentionMoAEvent, AttentionMoAOptions, AttentionMoAResult, CompleteOptions, RunOptions, RunPlan } from './types.js';

function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function'
  );
}

export class AttentionMoA {
  /** The options after validation, with every default filled in. */
  readonly options: Readonly<ResolvedOptions>;
  /** The ensemble as one OpenAI chat model: `moa.chat.completions.create({ messages, stream })` (see protocol/openai). */
  readonly chat: { readonly completions: EnsembleCompletions } = { completions: new EnsembleCompletions(this) };
  private readonly setup: RunSetup;

  constructor(options: AttentionMoAOptions) {
    const resolved = resolveOptions(options);
    this.options = resolved;
    const plan = makePlan(resolved);
    const { maxCalls } = resolved.budget;
    if (maxCalls !== undefined && maxCalls < plan.callsPerLayer[0]!) {
      throw new ConfigError('budget.maxCalls', `(${maxCalls}) is less than the ${plan.callsPerLayer[0]} calls of layer 1; give at least that many`);
    }

    const queues = new PermitQueues();
    for (const agent of resolved.agents) queues.declare(agent.engine, agent.model, agent.concurrency);
    queues.declare(resolved.aggregator.engine, resolved.aggregator.model, resolved.aggregator.concurrency);
    const counters = new Map<ChatEngine, TokenCounter>();
    const counterFor = (engine: ChatEngine) => {
      let counter = counters.get(engine);
      if (!counter) counters.set(engine, (counter = tokenCounter(engine)));
      return counter;
    };
    const endpoint = (e: ResolvedEndpoint): Endpoint => ({
      name: e.name,
      engine: e.engine,
      ...(e.model ? { model: e.model } : {}),
      temperature: e.temperature,
      ...(resolved.topP !== undefined ? { topP: resolved.topP } : {}),
      contextWindow: e.contextWindow,
      noSystemRole: e.noSystemRole,
      queue: queues.get(e.engine, e.model),
      counter: counterFor(e.engine),
    });
    this.setup = {
      options: resolved,
      plan,
      agents: resolved.agents.map((config) => ({ config, endpoint: endpoint(config) })),
      aggregator: endpoint(resolved.aggregator),
      global: new PermitQueue(resolved.concurrency),
    };
  }

  /** What a run will do when no agent is dropped and nothing stops it early. */
  plan(): RunPlan {
    return structuredClone(this.setup.plan);
  }

  /**
   * Runs the protocol on a conversation (or a single question) and streams its events; the run starts when
   * iteration starts. The last event is `done` (with the result) or `error` (an AttentionMoAError carrying the
   * partial trace); the iterator itself does not throw for run failures. Leaving the loop early aborts the run.
   * Invalid `messages` throw `MessagesError` at once.
   */
  run(messages: ChatMessage[] | string, options: RunOptions = {}): AsyncIterable<AttentionMoAEvent> {
    const conversation = resolveMessages(messages);
    assertQuestionFits(
      conversation,
      this.options.agents.map((a) => ({ name: a.name, contextWindow: a.contextWindow, answerTokens: a.maxTokens.propose })),
      typeof messages === 'string',
    );
    const signal = options?.signal;
    if (signal !== undefined && !isAbortSignal(signal)) {
      throw new TypeError('AttentionMoA: options.signal must be an AbortSignal (from an AbortController)');
    }
    return this.events(conversation, signal);
  }

  /** Runs to the end and resolves to the result; rejects with the run's AttentionMoAError. */
  async complete(messages: ChatMessage[] | string, options: CompleteOptions = {}): Promise<AttentionMoAResult> {
    for await (const event of this.run(messages, options)) {
      options.onEvent?.(event);
      if (event.type === 'done') return event.result;
      if (event.type === 'error') throw event.error;
    }
    throw new AttentionMoAError('ABORTED', 'the run ended without a result');
  }

  private async *events(conversation: ChatMessage[], external: AbortSignal | undefined): AsyncGenerator<AttentionMoAEvent> {
    const channel = new EventChannel<AttentionMoAEvent>();
    const controller = new AbortController();
    const abort = (message: string, cause?: unknown) => {
      if (!controller.signal.aborted) controller.abort(new AbortError(message, cause === undefined ? undefined : { cause }));
    };
    const onExternal = () => abort('The Attention-MoA run was aborted through its signal', external!.reason);
    if (external?.aborted) onExternal();
    else external?.addEventListener('abort', onExternal, { once: true });

    let finished = false;
    const run = new ProtocolRun(this.setup, conversation, controller.signal, (event) => channel.push(event));
    void run
      .execute()
      .then(
        (result) => channel.push({ type: 'done', result }),
        (error: AttentionMoAError) => channel.push({ type: 'error', error }),
      )
      .finally(() => {
        finished = true;
        external?.removeEventListener('abort', onExternal);
        channel.close();
      });
    try {
      yield* channel;
    } finally {
      if (!finished) abort('The consumer stopped iterating the run');
    }
  }
}

function makePlan(o: ResolvedOptions): RunPlan {
  const names = o.agents.map((a) => a.name);
  const singleModel = isSingleModel(o.attention, names.length);
  const callsPerLayer = Array.from({ length: o.layers }, (_, i) =>
    callsForLayer(o.attention, names.length, i + 1, { residual: o.residual, singleModel }),
  );
  return {
    agents: names,
    aggregator: o.aggregator.name,
    layers: o.layers,
    attention: o.attention,
    residual: o.residual,
    earlyStop: o.earlyStop,
    expectedCalls: callsPerLayer.reduce((a, b) => a + b, 0),
    callsPerLayer,
    critiques: critiquePairs(o.attention, names),
  };
}
