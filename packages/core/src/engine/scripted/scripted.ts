/**
 * The scripted engine: a deterministic test double for a model, behind the same engine contract.
 *
 * Replies come from rules (matched on the call's role, agent, layer, target or the prompt text), stream
 * token by token with a configurable delay, report usage, and fail on cue (throw at token k, hang, go slow,
 * return nothing). Users test their pages with it; this project tests the protocol and the worker runtime
 * with it. It is never a model: its output must not be presented as one's.
 *
 * Rules are plain data (structured-cloneable), so the same script runs in-thread or inside a worker.
 * A reply may also be a function of the request, in-thread only.
 */
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatEngine,
  ChatMessage,
  CompletionUsage,
  FinishReason,
  CallInfo,
  CallRequestOptions,
} from '../contract.js';
import { estimateTokens } from '../tokens.js';

export { estimateTokens };

export interface ScriptMatch {
  role?: CallInfo['role'] | CallInfo['role'][];
  agent?: string | string[];
  layer?: number | number[];
  target?: string | string[];
  /** Matches when the prompt (all messages joined) contains this text (case-insensitive). */
  contains?: string;
  /** Matches when the prompt matches this regular expression source (flag `i`). */
  pattern?: string;
  /** The model named in the request. */
  model?: string;
}

export type ScriptFault =
  /** Throws an error after `atToken` tokens were streamed (0 = before the first token). */
  | { kind: 'throw'; atToken?: number; name?: string; message?: string }
  /** Streams `atToken` tokens, then never produces another one (until aborted). */
  | { kind: 'hang'; atToken?: number }
  /** Streams with this per-token delay instead of the engine's. */
  | { kind: 'slow'; tokenDelayMs: number }
  /** Finishes at once with no content. */
  | { kind: 'empty' };

export interface ScriptRule {
  when?: ScriptMatch;
  /** A template (`{agent}`, `{role}`, `{layer}`, `{target}`, `{call}` are filled in), a list cycled through
   *  on successive matches, or (in-thread only) a function of the request. */
  reply?: string | string[] | ((request: ScriptedRequest) => string);
  fault?: ScriptFault;
  /** Apply this rule to at most this many matching calls, then fall through to later rules. */
  times?: number;
  /** Per-token delay for this rule's replies (ms). */
  tokenDelayMs?: number;
}

export interface ScriptedRequest {
  params: ChatCompletionCreateParams;
  call?: CallInfo;
  /** All messages joined, for matching. */
  prompt: string;
  /** 1-based count of calls this engine has served. */
  callNumber: number;
}

export interface ScriptedEngineOptions {
  /** Checked in order; the first that matches (and has `times` left) answers. */
  rules?: ScriptRule[];
  /** Reply when no rule matches. Default: a short deterministic sentence naming the call. */
  fallback?: string;
  /** Delay between tokens, ms (default 0: yields to the event loop between tokens all the same). */
  tokenDelayMs?: number;
  /** Delay before the first token, ms (prefill), default 0. */
  firstTokenDelayMs?: number;
  /** How a reply is cut into tokens: words with their leading space (default), or single characters. */
  tokenize?: 'words' | 'chars';
  /** Name reported in chunks' `model` (default 'scripted'). */
  model?: string;
  /**
   * Context window in tokens (counted like `countTokens`). A request whose prompt plus `max_tokens` exceeds it
   * is rejected with a `ContextWindowSizeExceededError`, as WebLLM does: proof that a caller never overflows.
   */
  contextWindow?: number;
}

const DEFAULT_FALLBACK = '{agent} ({role}, layer {layer}{targetSuffix}): a scripted reply, not written by a model.';

/** Splits text into word tokens with their leading whitespace, so joining them gives the text back. */
export function splitTokens(text: string, mode: 'words' | 'chars' = 'words'): string[] {
  if (mode === 'chars') return Array.from(text);
  return text.match(/\s*\S+|\s+$/g) ?? [];
}


function listed<T>(want: T | T[] | undefined, value: T | undefined): boolean {
  if (want === undefined) return true;
  return Array.isArray(want) ? want.includes(value as T) : want === value;
}

function matches(when: ScriptMatch | undefined, request: ScriptedRequest): boolean {
  if (!when) return true;
  const call = request.call;
  if (when.role !== undefined && !listed(when.role, call?.role)) return false;
  if (when.agent !== undefined && !listed(when.agent, call?.agent)) return false;
  if (when.layer !== undefined && !listed(when.layer, call?.layer)) return false;
  if (when.target !== undefined && !listed(when.target, call?.target)) return false;
  if (when.model !== undefined && when.model !== (request.params.model ?? undefined)) return false;
  if (when.contains !== undefined && !request.prompt.toLowerCase().includes(when.contains.toLowerCase())) return false;
  if (when.pattern !== undefined && !new RegExp(when.pattern, 'i').test(request.prompt)) return false;
  return true;
}

function fill(template: string, request: ScriptedRequest): string {
  const call = request.call;
  const values: Record<string, string> = {
    agent: call?.agent ?? 'agent',
    role: call?.role ?? 'chat',
    layer: String(call?.layer ?? 1),
    target: call?.target ?? '',
    targetSuffix: call?.target ? `, on ${call.target}` : '',
    call: String(request.callNumber),
    model: request.params.model ?? '',
  };
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error) return reason;
  return new DOMException('The request was aborted', 'AbortError');
}

/** Waits `ms` unless aborted. 0 resolves on a microtask: browsers clamp nested `setTimeout(0)` to 4 ms. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    if (ms <= 0) return resolve();
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Lets other tasks run, as a real engine does while it awaits its GPU between tokens: `setImmediate` in Node, a
 * MessageChannel message in browsers and workers. Unlike `setTimeout(0)` neither is clamped to 4 ms when nested, and a
 * timer set from such a task starts again at nesting level 0, so short token delays are kept precisely.
 */
const yieldTask: () => Promise<void> = (() => {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  if (typeof immediate === 'function') return () => new Promise<void>((resolve) => immediate(resolve));
  if (typeof MessageChannel === 'function') {
    const waiting: (() => void)[] = [];
    const channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
    return () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        channel.port2.postMessage(0);
      });
  }
  return () => new Promise<void>((resolve) => setTimeout(resolve, 0));
})();

/** Waits until `dueAt` (performance.now() time) unless aborted, always leaving the current task first. */
async function waitUntil(dueAt: number, signal: AbortSignal | undefined): Promise<void> {
  await yieldTask();
  if (signal?.aborted) throw abortError(signal);
  await sleep(dueAt - performance.now(), signal);
}

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

export class ScriptedEngine implements ChatEngine {
  readonly options: Readonly<ScriptedEngineOptions>;
  /** Calls served so far. */
  callCount = 0;
  /** Requests currently streaming (for tests that check the one-request-at-a-time rule). */
  inFlight = 0;
  /** The highest `inFlight` seen. */
  maxInFlight = 0;
  /** Every request received, in order. */
  readonly requests: ScriptedRequest[] = [];
  private readonly used = new Map<number, number>();
  private readonly cycled = new Map<number, number>();
  private interruptController = new AbortController();

  readonly chat: ChatEngine['chat'];
  /** A test double, never a model: the element labels its output "simulated" (checked without loading this class). */
  readonly simulated = true;

  constructor(options: ScriptedEngineOptions = {}) {
    this.options = options;
    for (const [i, rule] of (options.rules ?? []).entries()) {
      if (rule.when?.pattern !== undefined) {
        try {
          new RegExp(rule.when.pattern, 'i');
        } catch (error) {
          throw new TypeError(`ScriptedEngine: rules[${i}].when.pattern is not a valid regular expression: ${(error as Error).message}`);
        }
      }
      if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times >= 0)) {
        throw new TypeError(`ScriptedEngine: rules[${i}].times must be a whole number ≥ 0, got ${String(rule.times)}`);
      }
    }
    if (options.contextWindow !== undefined && !(Number.isInteger(options.contextWindow) && options.contextWindow > 0)) {
      throw new TypeError(`ScriptedEngine: contextWindow must be a whole number > 0, got ${String(options.contextWindow)}`);
    }
    const create = (params: ChatCompletionCreateParams & { stream: true }, requestOptions?: CallRequestOptions) =>
      this.create(params, requestOptions);
    this.chat = { completions: { create } };
  }

  /** Stops every stream in flight (like WebLLM's `interruptGenerate`: finish_reason 'abort'). */
  interruptGenerate(): void {
    this.interruptController.abort();
    this.interruptController = new AbortController();
  }

  countTokens(text: string): number {
    return estimateTokens(text);
  }

  private pick(request: ScriptedRequest): { text: string; rule?: ScriptRule } {
    const rules = this.options.rules ?? [];
    for (const [i, rule] of rules.entries()) {
      if (!matches(rule.when, request)) continue;
      const used = this.used.get(i) ?? 0;
      if (rule.times !== undefined && used >= rule.times) continue;
      this.used.set(i, used + 1);
      let text: string;
      if (typeof rule.reply === 'function') text = rule.reply(request);
      else if (Array.isArray(rule.reply)) {
        const n = this.cycled.get(i) ?? 0;
        this.cycled.set(i, n + 1);
        text = fill(rule.reply.length ? rule.reply[n % rule.reply.length]! : '', request);
      } else if (typeof rule.reply === 'string') text = fill(rule.reply, request);
      else if (rule.fault) text = fill(this.options.fallback ?? DEFAULT_FALLBACK, request);
      else continue; // a rule with neither reply nor fault only counts `times`
      return { text, rule };
    }
    return { text: fill(this.options.fallback ?? DEFAULT_FALLBACK, request) };
  }

  private async create(
    params: ChatCompletionCreateParams & { stream: true },
    requestOptions: CallRequestOptions = {},
  ): Promise<AsyncIterable<ChatCompletionChunk>> {
    if (!Array.isArray(params?.messages) || params.messages.length === 0) {
      throw new TypeError('ScriptedEngine: `messages` must be a non-empty array of { role, content }');
    }
    if (params.stream !== true) {
      throw new TypeError('ScriptedEngine: only streaming is supported; pass `stream: true`');
    }
    this.callCount += 1;
    const request: ScriptedRequest = {
      params,
      call: requestOptions.call,
      prompt: params.messages.map((m: ChatMessage) => `${m.role}: ${m.content}`).join('\n'),
      callNumber: this.callCount,
    };
    this.requests.push(request);
    const window = this.options.contextWindow;
    if (window !== undefined) {
      const promptTokens = estimateTokens(request.prompt);
      if (promptTokens + (params.max_tokens ?? 0) > window) {
        throw namedError(
          'ContextWindowSizeExceededError',
          `Prompt tokens exceed context window size: number of prompt tokens: ${promptTokens}; max_tokens: ${params.max_tokens ?? 0}; context window size: ${window}`,
        );
      }
    }
    const { text, rule } = this.pick(request);
    return this.stream(request, text, rule, requestOptions.signal);
  }

  private async *stream(
    request: ScriptedRequest,
    text: string,
    rule: ScriptRule | undefined,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<ChatCompletionChunk> {
    const interrupt = this.interruptController.signal;
    const combined = signal ? AbortSignal.any([signal, interrupt]) : interrupt;
    const fault = rule?.fault;
    const tokens = fault?.kind === 'empty' ? [] : splitTokens(text, this.options.tokenize);
    const delay = fault?.kind === 'slow' ? fault.tokenDelayMs : rule?.tokenDelayMs ?? this.options.tokenDelayMs ?? 0;
    const model = request.params.model ?? this.options.model ?? 'scripted';
    const id = `scripted-${request.callNumber}`;
    const created = Math.floor(Date.now() / 1000);
    const maxTokens = request.params.max_tokens ?? Infinity;
    const chunk = (content: string | null, finish: FinishReason | null, usage?: CompletionUsage): ChatCompletionChunk => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: usage ? [] : [{ index: 0, delta: content === null ? {} : { role: 'assistant', content }, finish_reason: finish }],
      ...(usage ? { usage } : {}),
    });

    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const started = performance.now();
    let firstTokenAt: number | undefined;
    let sent = 0;
    let finish: FinishReason = 'stop';
    try {
      const firstTokenDelay = this.options.firstTokenDelayMs ?? 0;
      await sleep(firstTokenDelay, signal);
      // Tokens keep a fixed schedule (token k is due at start + prefill + k · delay), like a decoder running at a
      // steady rate: a timer that fires late (a busy machine) does not push every later token back, so a reply of
      // k tokens takes prefill + k · delay plus at most the last timer's lateness (benchmarks compute ideal times from it).
      // Each token still leaves the task first, so other work (an abort, a crash on cue) runs between tokens.
      const tokensStart = started + firstTokenDelay;
      for (const token of tokens) {
        if (fault?.kind === 'throw' && sent === (fault.atToken ?? 0)) {
          throw namedError(fault.name ?? 'ScriptedFault', fault.message ?? `scripted failure at token ${sent}`);
        }
        if (fault?.kind === 'hang' && sent === (fault.atToken ?? 0)) {
          await new Promise<never>((_, reject) => {
            if (signal?.aborted) reject(abortError(signal));
            signal?.addEventListener('abort', () => reject(abortError(signal)), { once: true });
          });
        }
        if (sent >= maxTokens) {
          finish = 'length';
          break;
        }
        if (sent > 0 || delay > 0) {
          try {
            if (delay > 0) await waitUntil(tokensStart + (sent + 1) * delay, combined);
            else await sleep(0, combined);
          } catch (error) {
            if (signal?.aborted) throw error;
            finish = 'abort'; // interruptGenerate(): end the stream normally, like WebLLM
            break;
          }
        }
        if (signal?.aborted) throw abortError(signal);
        firstTokenAt ??= performance.now();
        sent += 1;
        yield chunk(token, null);
      }
      if (fault?.kind === 'throw' && sent === (fault.atToken ?? 0) && sent === tokens.length) {
        throw namedError(fault.name ?? 'ScriptedFault', fault.message ?? `scripted failure at token ${sent}`);
      }
      yield chunk(null, finish);
      if (request.params.stream_options?.include_usage) {
        const promptTokens = estimateTokens(request.prompt);
        const seconds = (performance.now() - started) / 1000;
        yield chunk(null, null, {
          prompt_tokens: promptTokens,
          completion_tokens: sent,
          total_tokens: promptTokens + sent,
          extra: {
            e2e_latency_s: seconds,
            time_to_first_token_s: firstTokenAt === undefined ? seconds : (firstTokenAt - started) / 1000,
            decode_tokens_per_s: seconds > 0 ? sent / seconds : 0,
            scripted: true,
          },
        });
      }
    } finally {
      this.inFlight -= 1;
    }
  }
}
