/**
 * The WASM engine: a GGUF model run by llama.cpp compiled to WebAssembly (`@wllama/wllama`), on the CPU,
 * behind the same engine contract as WebLLM. No WebGPU needed.
 *
 * One engine = one model = one wllama instance. wllama runs llama.cpp in a worker of its own; the agent
 * worker that hosts this engine is its parent (a nested worker, fine in Chromium). The wasm is @wllama/wllama's
 * own file, emitted by the app's bundler as an asset next to the app's files (see WLLAMA_WASM_URL): nothing is
 * fetched from a CDN, and nothing leaves the page's origin unless the model URL itself is remote.
 */
import type { Wllama } from '@wllama/wllama';
import type { ChatCompletionChunk, ChatCompletionCreateParams, RequestOptions } from '../contract.js';
import type { EngineStats, HostedEngine, HostedEngineContext, HostedEngineFactory, LoadProgress } from '../hosted-engine.js';
import { GgufFormatError, ggufString, readGgufHeader } from './gguf-header.js';
import { chooseChatTemplate, templateLacksSystemRole, type ChatTemplateChoice } from './chat-template.js';
import { ggufTokenizer, type GgufTokenizer } from './gguf-tokenizer.js';
import { chunkFactory, partsOf, toLlamaServerParams, usageOf, type LlamaServerChunk } from './wllama-chat.js';
import { downloadToBlob, downloadToWllamaCache, openWllamaCached, deleteWllamaCached, type DownloadProgress } from './wllama-cache.js';
import { WllamaEngineError, describeUnknown, loadFailure, looksOutOfMemory } from './wllama-errors.js';
import { importBackend } from '../module-load.js';

/**
 * llama.cpp's wasm, as the page author's bundler emits it. A package path in `new URL(…, import.meta.url)` is
 * resolved through node_modules by Vite and webpack 5 alike, which copy the file into the app's output (hashed)
 * and put its URL here; so the library ships no copy of its own, and an app without @wllama/wllama emits none.
 */
const WLLAMA_WASM_URL = new URL('@wllama/wllama/esm/wasm/wllama.wasm', import.meta.url).href;

export interface WllamaSpec {
  /**
   * The GGUF model: a URL (absolute, or root-relative like `/models/x.gguf`, resolved against the worker's
   * origin), or a Blob/File the user picked (both are structured-cloneable, so they cross into the worker).
   * A model split into shards is not supported: give one file.
   */
  model: string | Blob;
  /** Name reported in chunks' `model` and stats (default: the file name). */
  modelId?: string;
  /** Context window of each request in tokens. Default: the model's training context, at most 4096. */
  contextWindow?: number;
  /**
   * A Jinja chat template to use instead of the file's. Default: the file's own; for a Gemma file without one (a
   * pretrained base model) Gemma's turn format; otherwise llama.cpp's ChatML. It is rendered as given: a built-in
   * template's name ("gemma") is not looked up.
   */
  chatTemplate?: string;
  /**
   * Requests decoded together (llama.cpp's parallel slots), for agents that share this model with `concurrency` > 1.
   * Default 1: requests run one after another. Each slot holds its own KV cache of `contextWindow` tokens (llama.cpp
   * `n_ctx` = contextWindow × parallel), so memory for the cache grows with it; the weights are loaded once.
   */
  parallel?: number;
  /**
   * CPU threads for this model. Default 1. More than 1 needs a cross-origin isolated page (COOP + COEP
   * headers); without it llama.cpp silently uses 1. See `chooseThreadCount()`: several models on 2–4 cores
   * are much slower with more threads each (oversubscription).
   */
  threads?: number;
  /** Keep downloaded weights in the browser cache (OPFS) and load from there next time. Default true. URL models only. */
  cache?: boolean;
  /** Seed for sampling when a request gives none (temperature > 0). */
  seed?: number;
  /** Prompt batch size (llama.cpp `n_batch`, default 512). */
  batchSize?: number;
  /** URL of `wllama.wasm` (default: the copy bundled with this package). */
  wasmUrl?: string;
  /** Print llama.cpp's log to the (worker's) console. Default false: the log is kept in memory and its
   *  explaining lines go into thrown errors' `details`. */
  verbose?: boolean;
}

export interface WllamaEngineInfo {
  modelId: string;
  source: 'url' | 'blob';
  url?: string;
  modelBytes: number;
  /** Whether the weights came from the browser cache (no download). */
  fromCache: boolean;
  /** Tokens each request may use (prompt + answer). */
  contextWindow: number;
  trainingContext: number;
  threads: number;
  /** Requests decoded together (slots). */
  parallel: number;
  architecture?: string;
  chatTemplate: boolean;
  /** Where the chat template comes from: the file, the model family (Gemma without a template), or llama.cpp's ChatML. */
  chatTemplateSource: ChatTemplateChoice['source'] | 'spec';
  /** The template has no system role (the protocol then puts its instructions in the first user turn). */
  noSystemRole: boolean;
  /** Token counts come from the model's own tokenizer (rebuilt from the GGUF), not an estimate. */
  exactTokenCounts: boolean;
  loadSeconds: number;
  downloadSeconds: number;
}

const DEFAULT_MAX_CONTEXT = 4096;
const LOG_LINES_KEPT = 200;

function checkSpec(spec: WllamaSpec): void {
  if (spec == null || typeof spec !== 'object') throw new WllamaEngineError('BAD_SPEC', 'wllama spec must be an object like { model: "/models/x.gguf" }');
  const isBlob = typeof Blob !== 'undefined' && spec.model instanceof Blob;
  if (!isBlob && (typeof spec.model !== 'string' || spec.model.trim() === '')) {
    throw new WllamaEngineError('BAD_SPEC', 'wllama spec.model must be a GGUF URL or a Blob/File');
  }
  if (isBlob && (spec.model as Blob).size === 0) throw new WllamaEngineError('BAD_SPEC', 'wllama spec.model is an empty file');
  const positiveInt = (field: keyof WllamaSpec, max = Number.MAX_SAFE_INTEGER) => {
    const v = spec[field];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 1 && (v as number) <= max)) {
      throw new WllamaEngineError('BAD_SPEC', `wllama spec.${field} must be a whole number from 1 to ${max}, got ${String(v)}`);
    }
  };
  positiveInt('contextWindow', 1 << 24);
  positiveInt('threads', 64);
  positiveInt('parallel', 16);
  positiveInt('batchSize', 1 << 16);
  if (spec.seed !== undefined && !(Number.isInteger(spec.seed) && spec.seed >= 0 && spec.seed <= 0xffffffff)) {
    throw new WllamaEngineError('BAD_SPEC', `wllama spec.seed must be an integer in 0…2³²−1, got ${String(spec.seed)}`);
  }
  if (spec.cache !== undefined && typeof spec.cache !== 'boolean') throw new WllamaEngineError('BAD_SPEC', 'wllama spec.cache must be true or false');
  if (spec.chatTemplate !== undefined && (typeof spec.chatTemplate !== 'string' || !spec.chatTemplate.trim())) {
    throw new WllamaEngineError('BAD_SPEC', 'wllama spec.chatTemplate must be a non-empty string: a Jinja chat template (llama.cpp renders it as given, so a template name such as "gemma" would be taken as literal text)');
  }
}

/** The default wasm build needs memory64 and JSPI (Chromium 137+). wllama's fallback would load a CDN copy: we refuse instead. */
function checkBrowser(): void {
  let memory64 = false;
  try {
    new WebAssembly.Memory({ address: 'i64', initial: 1n } as unknown as WebAssembly.MemoryDescriptor);
    memory64 = true;
  } catch {
    // no memory64
  }
  const jspi = !!(WebAssembly as unknown as { Suspending?: unknown }).Suspending;
  if (!memory64 || !jspi) {
    const missing = [!memory64 && 'memory64', !jspi && 'JSPI (JavaScript Promise Integration)'].filter(Boolean).join(' and ');
    throw new WllamaEngineError(
      'UNSUPPORTED_BROWSER',
      `The WASM engine needs WebAssembly ${missing}, which this browser lacks. Use a Chromium-based browser (Chrome or Edge 137+).`,
    );
  }
}

function resolveUrl(url: string): string {
  try {
    return new URL(url, globalThis.location?.href).href;
  } catch {
    throw new WllamaEngineError('BAD_SPEC', `wllama spec.model is not a valid URL: ${url}`);
  }
}

function fileNameOf(model: string | Blob): string {
  if (typeof model === 'string') return decodeURIComponent(new URL(resolveUrl(model)).pathname.split('/').pop() || model);
  const name = (model as File).name;
  return typeof name === 'string' && name ? name : 'model.gguf';
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/** A push/pull queue between wllama's onData callback and the consumer's `for await`. */
class ChunkQueue<T> {
  private items: T[] = [];
  private waiting?: { resolve: () => void };
  private ended = false;
  private failure?: { error: unknown };
  push(item: T) { this.items.push(item); this.wake(); }
  end() { this.ended = true; this.wake(); }
  fail(error: unknown) { this.failure = { error }; this.wake(); }
  private wake() { this.waiting?.resolve(); this.waiting = undefined; }
  /** Next item; undefined at the end; throws the failure. Wakes early when `interrupt` fires. */
  async next(interrupt: Promise<void>): Promise<T | undefined> {
    for (;;) {
      if (this.items.length) return this.items.shift();
      if (this.failure) throw this.failure.error;
      if (this.ended) return undefined;
      await Promise.race([new Promise<void>((resolve) => (this.waiting = { resolve })), interrupt]);
      if (this.interrupted) return undefined;
    }
  }
  interrupted = false;
}

class WllamaEngine implements WllamaHostedEngine {
  readonly chat: HostedEngine['chat'];
  readonly info: WllamaEngineInfo;
  readonly parallel: number;
  private crashed?: WllamaEngineError;
  private unloaded = false;
  private interruptController = new AbortController();
  private lastTimings?: LlamaServerChunk['timings'];
  private requests = 0;
  /** llama.cpp requests not yet settled in wllama (an aborted stream ends before its request is cancelled). */
  private pending = 0;
  private readonly live = new Set<AbortController>();

  /** The model's facts, as the protocol reads them (see the engine contract). */
  readonly contextWindow: number;
  readonly noSystemRole: boolean;
  readonly countTokens?: (text: string) => number;

  constructor(
    private readonly wllama: Wllama,
    info: WllamaEngineInfo,
    private readonly spec: WllamaSpec,
    private readonly log: string[],
    tokenizer?: GgufTokenizer,
  ) {
    this.info = info;
    this.contextWindow = info.contextWindow;
    this.noSystemRole = info.noSystemRole;
    // Counted in this worker from the GGUF's vocabulary: llama.cpp is not asked (it would evaluate the prompt).
    if (tokenizer) this.countTokens = (text: string) => tokenizer.count(text);
    this.parallel = info.parallel;
    this.chat = {
      completions: {
        create: (params: ChatCompletionCreateParams & { stream: true }, options?: RequestOptions) => this.create(params, options),
      },
    };
  }

  /** Ends every stream in flight normally, with finish_reason 'abort' (like WebLLM's interruptGenerate). */
  interruptGenerate(): void {
    this.interruptController.abort();
    this.interruptController = new AbortController();
  }

  stats(): EngineStats {
    const t = this.lastTimings;
    const prefill = t?.prompt_per_second;
    const decode = t?.predicted_per_second;
    return {
      text: t ? `prefill: ${prefill?.toFixed(1)} tokens/sec, decoding: ${decode?.toFixed(1)} tokens/sec` : 'no request served yet',
      ...(prefill !== undefined ? { prefillTokensPerSecond: prefill } : {}),
      ...(decode !== undefined ? { decodeTokensPerSecond: decode } : {}),
      requests: this.requests,
      pendingRequests: this.pending,
      ...this.info,
    };
  }

  async unload(): Promise<void> {
    if (this.unloaded) return;
    this.unloaded = true;
    for (const controller of this.live) controller.abort();
    await this.wllama.exit();
  }

  private async create(params: ChatCompletionCreateParams & { stream: true }, options: RequestOptions = {}): Promise<AsyncIterable<ChatCompletionChunk>> {
    if (this.unloaded) throw new WllamaEngineError('DISPOSED', `The model ${this.info.modelId} was unloaded; create the engine again`, { model: this.info.modelId });
    if (this.crashed) throw this.crashed;
    const request = toLlamaServerParams(params, this.spec.seed === undefined ? {} : { seed: this.spec.seed });
    if (options.signal?.aborted) throw abortReason(options.signal);
    this.requests += 1;
    return this.stream(request, !!params.stream_options?.include_usage, params.model ?? this.info.modelId, options.signal);
  }

  private async *stream(
    request: ReturnType<typeof toLlamaServerParams>,
    includeUsage: boolean,
    model: string,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<ChatCompletionChunk> {
    const make = chunkFactory(model, `wllama-${this.requests}`);
    const queue = new ChunkQueue<LlamaServerChunk>();
    // Stops llama.cpp's request: on the caller's abort, on interruptGenerate(), or when the consumer leaves the loop.
    const stop = new AbortController();
    this.live.add(stop);
    const interruptSignal = this.interruptController.signal;
    let resolveInterrupted!: () => void;
    const interrupted = new Promise<void>((resolve) => (resolveInterrupted = resolve));
    const onInterrupt = () => {
      queue.interrupted = true;
      stop.abort();
      resolveInterrupted();
    };
    interruptSignal.addEventListener('abort', onInterrupt, { once: true });
    let rejectAborted!: (reason: unknown) => void;
    const aborted = new Promise<never>((_, reject) => (rejectAborted = reject));
    aborted.catch(() => {}); // observed through the race below
    const onAbort = () => {
      stop.abort();
      rejectAborted(abortReason(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    const clock: { startedAt: number; firstTokenAt?: number; endedAt: number } = { startedAt: performance.now(), endedAt: 0 };
    // Settles the queue either way, so it never rejects unobserved; not awaited by an aborted stream, which
    // must end at once while wllama cancels llama.cpp's request in the background.
    this.pending += 1;
    void this.wllama
      .createChatCompletion({
        ...(request as object),
        abortSignal: stop.signal,
        onData: (chunk: unknown) => queue.push(chunk as LlamaServerChunk),
      } as Parameters<Wllama['createChatCompletion']>[0] & { stream: true; onData: (c: unknown) => void })
      .then(
        () => queue.end(),
        (error: unknown) => queue.fail(error),
      )
      .finally(() => (this.pending -= 1));

    let finish: ChatCompletionChunk['choices'][number]['finish_reason'] = null;
    let final: LlamaServerChunk | undefined;
    let completed = false;
    try {
      for (;;) {
        const chunk = await Promise.race([queue.next(interrupted), aborted]);
        if (chunk === undefined) break;
        const parts = partsOf(chunk);
        if (parts.content !== undefined) {
          clock.firstTokenAt ??= performance.now();
          yield make.content(parts.content);
        }
        if (parts.finish) finish = parts.finish;
        if (parts.final) final = chunk;
      }
      if (queue.interrupted) finish = 'abort';
      clock.endedAt = performance.now();
      completed = true;
      if (final?.timings) this.lastTimings = final.timings;
      yield make.finish(finish ?? 'stop');
      if (includeUsage) yield make.usage(usageOf(final ?? {}, clock));
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      throw this.requestFailure(error);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      interruptSignal.removeEventListener('abort', onInterrupt);
      if (!completed) stop.abort();
      this.live.delete(stop);
    }
  }

  /** A failed request: llama.cpp aborting kills the engine (its worker is gone); other failures don't. */
  private requestFailure(error: unknown): Error {
    if (error instanceof WllamaEngineError) return error;
    const message = describeUnknown(error);
    if ((error as { name?: string } | null)?.name === 'RuntimeError') {
      const lines = this.log.slice(-12);
      const oom = looksOutOfMemory(`${message}\n${lines.join('\n')}`);
      this.crashed = new WllamaEngineError(
        oom ? 'OUT_OF_MEMORY' : 'WORKER_CRASHED',
        `llama.cpp stopped running ${this.info.modelId} (${message})${oom ? ': out of memory' : ''}. Create the engine again to continue.`,
        { model: this.info.modelId, log: lines, causeName: 'RuntimeError', causeMessage: message },
        { cause: error },
      );
      return this.crashed;
    }
    return new WllamaEngineError('ENGINE_ERROR', `llama.cpp failed a request on ${this.info.modelId}: ${message}`, { model: this.info.modelId, causeMessage: message }, { cause: error });
  }
}

async function modelBlob(
  spec: WllamaSpec,
  context: HostedEngineContext,
  started: number,
): Promise<{ blob: Blob; url?: string; fromCache: boolean; downloadSeconds: number }> {
  if (typeof spec.model !== 'string') return { blob: spec.model, fromCache: false, downloadSeconds: 0 };
  const url = resolveUrl(spec.model);
  const useCache = spec.cache !== false;
  if (useCache) {
    const cached = await openWllamaCached(url);
    if (cached) {
      context.onProgress({ progress: 0.9, text: `Found ${fileNameOf(url)} in the browser cache (${(cached.size / 2 ** 20).toFixed(1)} MB)`, loadedBytes: cached.size, totalBytes: cached.size, elapsedSeconds: (performance.now() - started) / 1000 });
      return { blob: cached, url, fromCache: true, downloadSeconds: 0 };
    }
  }
  const downloadStarted = performance.now();
  const onProgress = ({ loadedBytes, totalBytes }: DownloadProgress) => {
    const fraction = totalBytes > 0 ? Math.min(1, loadedBytes / totalBytes) : 0;
    context.onProgress({
      progress: 0.9 * fraction,
      text: `Downloading ${fileNameOf(url)}: ${(loadedBytes / 2 ** 20).toFixed(1)}${totalBytes ? ` of ${(totalBytes / 2 ** 20).toFixed(1)}` : ''} MB`,
      loadedBytes,
      ...(totalBytes ? { totalBytes } : {}),
      elapsedSeconds: (performance.now() - started) / 1000,
    });
  };
  const options = { signal: context.signal, onProgress };
  // Without OPFS, downloadToWllamaCache throws a plain Error: load uncached instead.
  const blob = useCache
    ? await downloadToWllamaCache(url, options).catch((error: unknown) => {
        if (error instanceof WllamaEngineError || context.signal.aborted) throw error;
        return downloadToBlob(url, options);
      })
    : await downloadToBlob(url, options);
  return { blob, url, fromCache: false, downloadSeconds: (performance.now() - downloadStarted) / 1000 };
}

/** What `createWllamaEngine` resolves to: a hosted engine whose optional parts are all there. */
export interface WllamaHostedEngine extends HostedEngine {
  readonly info: WllamaEngineInfo;
  readonly parallel: number;
  interruptGenerate(): void;
  stats(): EngineStats;
}

/** Creates and loads a WASM engine. The runtime imports this lazily, inside the agent worker. */
export const createWllamaEngine: (spec: WllamaSpec, context: HostedEngineContext) => Promise<WllamaHostedEngine> = async (spec, context) => {
  checkSpec(spec);
  checkBrowser();
  const started = performance.now();
  const progress = (p: Omit<LoadProgress, 'elapsedSeconds'>) => context.onProgress({ ...p, elapsedSeconds: (performance.now() - started) / 1000 });
  const throwIfAborted = () => {
    if (context.signal.aborted) throw abortReason(context.signal);
  };

  const { blob, url, fromCache, downloadSeconds } = await modelBlob(spec, context, started);
  throwIfAborted();
  const source = url ?? fileNameOf(spec.model);
  let header;
  try {
    header = await readGgufHeader(blob);
  } catch (error) {
    if (url && spec.cache !== false) await deleteWllamaCached(url).catch(() => false); // never keep a bad file cached
    if (error instanceof GgufFormatError) throw new WllamaEngineError('BAD_GGUF', `${source} is not a usable GGUF model: ${error.message}`, { model: source, url }, { cause: error });
    throw error;
  }
  const trainingContext = Number(header.metadata.get(`${ggufString(header, 'general.architecture')}.context_length`) ?? 0) || DEFAULT_MAX_CONTEXT;
  const contextWindow = spec.contextWindow ?? Math.min(trainingContext, DEFAULT_MAX_CONTEXT);
  const template = chooseChatTemplate(header);
  const chatTemplate = spec.chatTemplate ?? template.override;
  const tokenizer = ggufTokenizer(header);
  const threads = spec.threads ?? 1;
  const parallel = spec.parallel ?? 1;
  progress({ progress: 0.92, text: `Loading ${fileNameOf(spec.model)} into llama.cpp (WebAssembly, ${threads} thread${threads > 1 ? 's' : ''})` });

  const log: string[] = [];
  const keep = (level: 'log' | 'warn' | 'error') => (...args: unknown[]) => {
    const line = args.map((a) => (typeof a === 'string' ? a : describeUnknown(a))).join(' ');
    log.push(line);
    if (log.length > LOG_LINES_KEPT) log.splice(0, log.length - LOG_LINES_KEPT);
    if (spec.verbose) console[level](`[wllama ${fileNameOf(spec.model)}]`, line);
  };
  const { Wllama } = await importBackend('@wllama/wllama', () => import('@wllama/wllama'), (m) => typeof m.Wllama === 'function');
  const wllama = new Wllama(
    { default: spec.wasmUrl ?? WLLAMA_WASM_URL },
    { suppressNativeLog: false, logger: { debug: () => {}, log: keep('log'), warn: keep('warn'), error: keep('error') } },
  );
  wllama.setCompat(null); // the compat build would come from a CDN; checkBrowser() already refused browsers that need it
  const loadStarted = performance.now();
  const onAbort = () => void wllama.exit();
  context.signal.addEventListener('abort', onAbort, { once: true });
  try {
    await wllama.loadModel([blob], {
      // Room for `parallel` requests of `contextWindow` tokens each, a KV stream per slot: a slot's decode attends to
      // its own cells only (a unified cache made every slot attend over all of them, slower when decoding together).
      n_ctx: contextWindow * parallel,
      n_parallel: parallel,
      kv_unified: false,
      n_threads: threads,
      n_gpu_layers: 0,
      ...(spec.batchSize ? { n_batch: spec.batchSize } : {}),
      ...(chatTemplate ? { chat_template: chatTemplate } : {}),
    });
  } catch (error) {
    throwIfAborted();
    await wllama.exit().catch(() => {});
    const text = `${describeUnknown(error)}\n${log.join('\n')}`;
    if (looksOutOfMemory(text)) throw loadFailure(log, source);
    throw new WllamaEngineError('BAD_GGUF', `llama.cpp cannot load ${source}: ${describeUnknown(error)}`, { model: source, log: log.slice(-8) }, { cause: error });
  } finally {
    context.signal.removeEventListener('abort', onAbort);
  }
  throwIfAborted();
  // `success` is in the glue message wllama copies into the info, though its type leaves it out.
  const loaded = wllama.getLoadedContextInfo() as ReturnType<Wllama['getLoadedContextInfo']> & { success?: boolean };
  // wllama resolves loadModel even when llama.cpp failed: the only sign is `success: false` (and the log).
  if (loaded.success === false) {
    await wllama.exit().catch(() => {});
    throw loadFailure(log, source);
  }
  const info: WllamaEngineInfo = {
    modelId: spec.modelId ?? fileNameOf(spec.model),
    source: url ? 'url' : 'blob',
    ...(url ? { url } : {}),
    modelBytes: blob.size,
    fromCache,
    contextWindow: Math.floor(loaded.n_ctx / parallel),
    trainingContext: loaded.n_ctx_train,
    threads: wllama.getNumThreads(),
    parallel,
    ...(ggufString(header, 'general.architecture') ? { architecture: ggufString(header, 'general.architecture')! } : {}),
    chatTemplate: !!loaded.has_chat,
    chatTemplateSource: spec.chatTemplate ? 'spec' : template.source,
    noSystemRole: spec.chatTemplate ? templateLacksSystemRole(spec.chatTemplate) : template.noSystemRole,
    exactTokenCounts: !!tokenizer,
    loadSeconds: (performance.now() - loadStarted) / 1000,
    downloadSeconds,
  };
  progress({ progress: 1, text: `Loaded ${info.modelId} in ${((performance.now() - started) / 1000).toFixed(1)} s${fromCache ? ' (from the browser cache)' : ''}` });
  return new WllamaEngine(wllama, info, spec, log, tokenizer);
};

// Checked here so a contract change shows up where it matters: the runtime loads this factory by kind.
createWllamaEngine satisfies HostedEngineFactory<WllamaSpec>;
