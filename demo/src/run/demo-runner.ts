/**
 * The protocol runner the demo hands to <attention-moa> (its `moa` property). Each question builds the protocol for
 * the mode chosen at that moment (single model / classic MoA / Attention-MoA) over the session's engines, with the
 * visitor's sampling settings, and puts the system prompt in front of the element's messages.
 */
import type { AttentionMoAEvent, AttentionMoAOptions, AttentionMoAResult, ChatMessage, RunOptions } from '@attention-moa/core';
import type { TurnRun } from '../conversations/conversation.js';
import { optionsForMode, type ProtocolSettings, type RunMode } from './modes.js';
import { DEFAULT_SAMPLING, samplingOptions, systemMessages, type SamplingSettings } from './sampling.js';
import type { Session } from './session.js';

/** What the element and the comparisons need from the protocol: `AttentionMoA.run`. */
export interface ProtocolRunner {
  run(messages: ChatMessage[], options?: RunOptions): AsyncIterable<AttentionMoAEvent>;
}

/** Builds the protocol from options: `(o) => new AttentionMoA(o)`. */
export type ProtocolFactory = (options: AttentionMoAOptions) => ProtocolRunner;

export interface RunnerContext {
  session: Session;
  create: ProtocolFactory;
  mode(): RunMode;
  settings(): ProtocolSettings;
  /** System prompt and sampling (default: the protocol's). */
  sampling?(): SamplingSettings;
}

export class DemoRunner implements ProtocolRunner {
  constructor(private readonly context: RunnerContext) {}

  run(messages: ChatMessage[], options?: RunOptions): AsyncIterable<AttentionMoAEvent> {
    const { session, create } = this.context;
    const mode = this.context.mode();
    const question = messages.at(-1)?.content ?? '';
    session.prepare(question, mode);
    const sampling = this.context.sampling?.() ?? DEFAULT_SAMPLING;
    const protocol = create(optionsForMode(mode, session.agents, session.aggregator, this.context.settings(), samplingOptions(sampling)));
    return protocol.run([...systemMessages(sampling), ...messages.filter((m) => m.role !== 'system')], options);
  }
}

/** Runs one mode to the end without a UI (the comparisons) and records what it produced and cost. */
export async function runMode(
  context: Omit<RunnerContext, 'mode'>,
  mode: RunMode,
  messages: ChatMessage[],
  signal?: AbortSignal,
): Promise<TurnRun> {
  const runner = new DemoRunner({ ...context, mode: () => mode });
  const started = performance.now();
  let result: AttentionMoAResult | undefined;
  try {
    for await (const event of runner.run(messages, signal ? { signal } : {})) {
      if (event.type === 'done') result = event.result;
      if (event.type === 'error') throw event.error;
    }
    if (!result) throw new Error('The run ended without a result');
    return { mode, answer: result.answer, result, wallMs: performance.now() - started };
  } catch (error) {
    const e = error as { name?: string; message?: string; code?: string };
    return {
      mode,
      answer: '',
      error: { name: e.name ?? 'Error', message: e.message ?? String(error), ...(e.code ? { code: e.code } : {}) },
      wallMs: performance.now() - started,
    };
  }
}
