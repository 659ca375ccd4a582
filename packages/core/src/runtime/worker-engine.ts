/**
 * The page-side proxy of one agent worker. It satisfies the engine contract, so the protocol cannot tell a worker
 * engine from an in-thread one: `chat.completions.create(params, { signal, call })` streams chunks rebuilt from the
 * worker's batched token messages, forwards `call` (the scripted engine matches rules on it) and honours `signal`
 * (the stream ends at once with an AbortError and the worker stops generating).
 *
 * It also watches the worker: an `error` event, or no answer to a ping within `pingTimeoutMs` while the worker has
 * work, marks it crashed: the worker is terminated and everything in flight fails with WORKER_CRASHED. So does a
 * hung engine (a GPU await that never returns, deaf to its signal and to `interruptGenerate`): the worker still
 * answers pings, but a request the page cancelled is not released within `hangGraceMs`, and the worker would
 * stay stuck on it for good.
 */
import { proxy, releaseProxy, transfer, wrap, type Remote } from 'comlink';
import type {
  CallInfo,
  CallRequestOptions,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatEngine,
} from '../engine/contract.js';
import { builtWorkerUrl, startDefaultWorker } from './default-worker.js';
import { installErrorTransfer } from './comlink-errors.js';
import { abortError, deserializeError, isRuntimeError, runtimeError, type RuntimeError } from '../engine/errors.js';
import type { LoadProgress } from '../engine/hosted-engine.js';
import { TokenStream } from './token-stream.js';
import { epochNow, withTransportTiming } from './transport-timing.js';
import type { AgentWorkerApi, HostedSpec, LoadInfo, StreamMessage, WorkerStats } from './stream-wire.js';

export interface WorkerStartOptions {
  /** URL of the agent worker script. Default: the one built with this library. */
  workerUrl?: string | URL;
  /**
   * How to start it. 'module': `new Worker(url, { type: 'module' })`. 'blob': a same-origin blob worker that
   * `import()`s the script, which is how a module worker starts from another origin (a CDN): browsers refuse
   * `new Worker(crossOriginUrl)`. The script's server must then send CORS headers. 'auto' (default): 'blob'
   * when the script's origin differs from the page's, else 'module'.
   */
  bootstrap?: 'auto' | 'module' | 'blob';
  /** Full control over worker creation (CSP setups, tests). Receives the resolved script URL. */
  createWorker?: (url: URL, options: WorkerOptions) => Worker;
  /** A name for the worker (shows in devtools) and in error messages. */
  name?: string;
  /** While the worker has work, ping it this often (ms). Default 1000. */
  pingIntervalMs?: number;
  /** A ping unanswered this long (ms) means the worker crashed. Default 10000. */
  pingTimeoutMs?: number;
  /** The worker must answer its first call within this time (ms). Default 30000. */
  startTimeoutMs?: number;
  /**
   * A request cancelled by the page (its signal aborted, a call timeout, Stop) must be released by the worker's
   * engine within this time (ms); otherwise the engine is hung and the worker is restarted (WORKER_CRASHED with
   * `details.hung`). Generous by default, 15000: WebLLM cannot stop mid-prefill, and a long prompt on a slow GPU
   * takes seconds.
   */
  hangGraceMs?: number;
}

/** Default of `hangGraceMs`. */
export const DEFAULT_HANG_GRACE_MS = 15_000;

/**
 * The agent worker script's URL as built with this library, resolved against the page; undefined when the page
 * author's bundler built the worker (its URL is the bundler's: WorkerEngine.url has it once the worker answers).
 */
export function defaultAgentWorkerUrl(): URL | undefined {
  return builtWorkerUrl === undefined ? undefined : new URL(builtWorkerUrl, globalThis.location?.href);
}

/**
 * Creates the Worker, with the blob bootstrap for cross-origin scripts. Returns it, its URL (undefined for the
 * worker the app's bundler built, until it answers) and a cleanup.
 */
export function spawnAgentWorker(options: WorkerStartOptions = {}): { worker: Worker; url: URL | undefined; cleanup: () => void } {
  const workerOptions: WorkerOptions = { type: 'module', ...(options.name ? { name: options.name } : {}) };
  const requested = options.workerUrl ?? builtWorkerUrl;
  if (requested === undefined) {
    if (options.createWorker || options.bootstrap === 'blob') {
      throw runtimeError('BAD_SPEC', { field: options.createWorker ? 'createWorker' : 'bootstrap' }, {
        message: `${options.createWorker ? 'createWorker' : "bootstrap: 'blob'"} needs the worker's URL, and your bundler built the agent worker: pass workerUrl too, or leave it out.`,
      });
    }
    return { worker: startDefaultWorker(workerOptions), url: undefined, cleanup: () => {} };
  }
  const url = new URL(requested, globalThis.location?.href);
  if (options.createWorker) return { worker: options.createWorker(url, workerOptions), url, cleanup: () => {} };
  const crossOrigin = !['blob:', 'data:'].includes(url.protocol) && url.origin !== globalThis.location?.origin;
  const mode = options.bootstrap ?? 'auto';
  if (mode === 'blob' || (mode === 'auto' && crossOrigin)) {
    // A dynamic import(), not a static one: a module worker's static imports are worker fetches, checked against
    // a page's CSP worker-src, while import() is checked against script-src, where a page using a CDN lists it
    // anyway. Messages that arrive before the worker module has set up its listener are held and replayed in order.
    const source =
      'const held = [];\nconst hold = (event) => held.push(event);\nself.addEventListener("message", hold);\n' +
      `import(${JSON.stringify(url.href)}).then(() => {\n` +
      '  self.removeEventListener("message", hold);\n' +
      '  for (const event of held) self.dispatchEvent(new MessageEvent("message", { data: event.data, ports: [...event.ports] }));\n' +
      '}, (error) => setTimeout(() => { throw error; }));\n';
    const blobUrl = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    return { worker: new Worker(blobUrl, workerOptions), url, cleanup: () => URL.revokeObjectURL(blobUrl) };
  }
  return { worker: new Worker(url, workerOptions), url, cleanup: () => {} };
}

// ---------------------------------------------------------------------------------------------

export type WorkerEngineState = 'ready' | 'crashed' | 'terminated';

export interface WorkerLoadOptions {
  signal?: AbortSignal;
  onProgress?: (progress: LoadProgress) => void;
  /** Restart count of this model's worker (0 = first). */
  attempt?: number;
  /** After a cancelled load, how long the worker may take to stop before it is terminated (ms). Default 2000. */
  cancelGraceMs?: number;
}

/** One agent worker and the engine it hosts. Start it with `WorkerEngine.start()`. */
export class WorkerEngine implements ChatEngine {
  readonly chat: ChatEngine['chat'];
  readonly name: string;
  private scriptUrl: URL | undefined;
  private readonly api: Remote<AgentWorkerApi>;
  private readonly worker: Worker;
  private readonly cleanup: () => void;
  private readonly streamPort: MessagePort;
  private readonly streams = new Map<number, TokenStream>();
  private readonly crashListeners = new Set<(error: RuntimeError) => void>();
  private nextId = 1;
  private loading = 0;
  private loadReject: ((error: unknown) => void) | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pingSentAt: number | undefined;
  /** When the ping timer last ran: a long gap means the page itself was stopped (a long task, a frozen tab). */
  private lastTickAt: number | undefined;
  private readonly pingIntervalMs: number;
  private readonly pingTimeoutMs: number;
  private readonly hangGraceMs: number;
  /** Requests the page cancelled that the worker has not released yet: id → when the watchdog gives up. */
  private readonly cancelling = new Map<number, ReturnType<typeof setTimeout>>();
  private _state: WorkerEngineState = 'ready';
  private _model: string | undefined;
  /** What the last load reported about its model (window, system role, exact counting). */
  private loaded: LoadInfo | undefined;
  /** The crash that ended this worker, for later calls. */
  private crashError: RuntimeError | undefined;
  /** The stream port's other end, handed to the worker by start(). */
  private pendingPort: MessagePort | undefined;

  private constructor(spawned: { worker: Worker; url: URL | undefined; cleanup: () => void }, options: WorkerStartOptions) {
    installErrorTransfer();
    this.worker = spawned.worker;
    this.scriptUrl = spawned.url;
    this.cleanup = spawned.cleanup;
    this.name = options.name ?? 'agent worker';
    this.pingIntervalMs = options.pingIntervalMs ?? 1000;
    this.pingTimeoutMs = options.pingTimeoutMs ?? 10_000;
    this.hangGraceMs = options.hangGraceMs ?? DEFAULT_HANG_GRACE_MS;
    this.api = wrap<AgentWorkerApi>(this.worker);
    const channel = new MessageChannel();
    this.streamPort = channel.port1;
    this.streamPort.onmessage = (event: MessageEvent<StreamMessage>) => this.onStream(event.data);
    this.pendingPort = channel.port2;
    this.worker.addEventListener('error', (event: ErrorEvent) => {
      event.preventDefault?.();
      this.crash(event.message ? `uncaught error in the worker: ${event.message}` : 'the worker script failed (error event)');
    });
    this.worker.addEventListener('messageerror', () => this.crash('a message from the worker could not be read (messageerror)'));
    const create = (params: ChatCompletionCreateParams & { stream: true }, requestOptions?: CallRequestOptions) => this.create(params, requestOptions);
    this.chat = { completions: { create } } as ChatEngine['chat'];
  }

  /** Starts a worker and waits until it answers. Fails with WORKER_START_FAILED if it cannot start. */
  static async start(options: WorkerStartOptions = {}): Promise<WorkerEngine> {
    let spawned: ReturnType<typeof spawnAgentWorker>;
    const requested = options.workerUrl ?? builtWorkerUrl;
    try {
      spawned = spawnAgentWorker(options);
    } catch (error) {
      if (isRuntimeError(error)) throw error;
      throw runtimeError('WORKER_START_FAILED', { ...(requested !== undefined ? { url: String(requested) } : {}), causeName: (error as Error)?.name, causeMessage: (error as Error)?.message }, { cause: error });
    }
    const engine = new WorkerEngine(spawned, options);
    const port = engine.pendingPort!;
    engine.pendingPort = undefined;
    const timeoutMs = options.startTimeoutMs ?? 30_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const hello = Promise.resolve(engine.api.connect(transfer(port, [port]))).then((answer) => {
        // A blob bootstrap reports blob:…, not the script: keep the URL we started from.
        if (!engine.scriptUrl && answer.url) engine.scriptUrl = new URL(answer.url);
      });
      await Promise.race([
        hello,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          engine.onCrash((error) => reject(error));
        }),
      ]);
    } catch (error) {
      engine.terminate();
      const message = isRuntimeError(error) ? error.details.causeMessage ?? error.message : (error as Error)?.message;
      throw runtimeError('WORKER_START_FAILED', { ...(engine.url ? { url: engine.url.href } : {}), causeMessage: message }, { cause: error });
    } finally {
      clearTimeout(timer);
      spawned.cleanup();
    }
    return engine;
  }

  /** The script the worker runs: known at start for a given or prebuilt script; for the worker the app's bundler
   *  built, as the worker reports it once it answers (undefined before). */
  get url(): URL | undefined {
    return this.scriptUrl;
  }

  get state(): WorkerEngineState {
    return this._state;
  }

  /** The loaded model's id, if any. */
  get model(): string | undefined {
    return this._model;
  }

  /** Requests in flight (sent to the worker and not yet finished). */
  get inFlight(): number {
    return this.streams.size;
  }

  /** Calls `listener` once if the worker crashes. Returns an unsubscribe function. */
  onCrash(listener: (error: RuntimeError) => void): () => void {
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
  }

  /** Loads an engine into the worker. Cancel with `signal`: rejects at once with LOAD_CANCELLED. */
  async load(spec: HostedSpec, options: WorkerLoadOptions = {}): Promise<LoadInfo> {
    this.assertUsable();
    const { signal } = options;
    if (signal?.aborted) throw runtimeError('LOAD_CANCELLED', { model: specModel(spec) });
    this.loading++;
    this.watch();
    const progress = options.onProgress ? proxy(options.onProgress) : undefined;
    const loadPromise = this.api.load(spec, options.attempt ?? 0, progress);
    let onAbort: (() => void) | undefined;
    try {
      const info = await new Promise<LoadInfo>((resolve, reject) => {
        this.loadReject = reject;
        loadPromise.then(resolve, reject);
        onAbort = () => {
          void this.api.cancelLoad().catch(() => undefined);
          reject(runtimeError('LOAD_CANCELLED', { model: specModel(spec) }));
          // A worker stuck in a synchronous step cannot hear the cancel: terminate it after a grace period.
          const grace = setTimeout(() => this.terminate(), options.cancelGraceMs ?? 2000);
          loadPromise.then(() => this.api.unload(), () => undefined).finally(() => clearTimeout(grace));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      this._model = info.model;
      this.loaded = info;
      return info;
    } finally {
      // The signal cancels this load only: aborting it later (an app's "stop" controller) must not unload the model.
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      this.loadReject = undefined;
      this.loading--;
      this.watch();
    }
  }

  private create(params: ChatCompletionCreateParams & { stream: true }, options: CallRequestOptions = {}): Promise<AsyncIterable<ChatCompletionChunk>> {
    return this.request(params, options);
  }

  /**
   * `create()` with a hook: `onSettled` runs once when the worker is done with the request (it ended, failed,
   * was aborted, or the consumer stopped reading), whether or not the consumer reads to the end.
   */
  request(params: ChatCompletionCreateParams & { stream: true }, options: CallRequestOptions = {}, onSettled?: () => void): Promise<AsyncIterable<ChatCompletionChunk>> {
    if (!Array.isArray(params?.messages) || params.messages.length === 0) {
      return Promise.reject(new TypeError(`${this.name}: \`messages\` must be a non-empty array of { role, content }`));
    }
    if (params.stream !== true) return Promise.reject(new TypeError(`${this.name}: only streaming is supported; pass \`stream: true\``));
    const { signal, call } = options;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this._state !== 'ready') return Promise.reject(this.unusableError());
    const id = this.nextId++;
    // The abort listener goes when the request settles: an app may pass one long-lived signal to many requests.
    let onAbort: (() => void) | undefined;
    const settled = () => {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      onSettled?.();
    };
    const stream = new TokenStream(this._model ?? this.name, !!params.stream_options?.include_usage, () => this.cancel(id), settled);
    this.streams.set(id, stream);
    this.watch();
    if (signal) {
      onAbort = () => {
        stream.fail(abortError(signal));
        this.cancel(id);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }
    const { signal: _signal, ...clean } = params as typeof params & { signal?: unknown };
    void _signal;
    stream.sentAt = epochNow();
    this.api.chat(id, clean, call ? cloneCall(call) : undefined).catch((error: unknown) => {
      const name = (error as Error)?.name;
      stream.fail(name === 'DataCloneError'
        ? runtimeError('BAD_SPEC', { field: 'params' }, { message: `${this.name}: the request could not be sent to the worker (${(error as Error).message}); params and call must be plain data.` })
        : error);
      this.forget(id);
    });
    return Promise.resolve(stream);
  }

  private cancel(id: number): void {
    if (!this.streams.has(id)) return;
    this.forget(id);
    if (this._state !== 'ready') return;
    void this.api.abort(id).catch(() => undefined);
    // The watchdog: the worker says when its engine let go of the request (`released`); if it never does, the
    // engine is hung and every later request to this worker would wait behind it.
    this.armHangTimer(id, this.hangGraceMs);
    this.watch();
  }

  private armHangTimer(id: number, ms: number): void {
    const dueAt = performance.now() + ms;
    this.cancelling.set(id, setTimeout(() => {
      // Fired late: the page itself was stopped (a frozen tab), and the worker's "released" may be waiting in the
      // queue behind this timer. Give it the grace period again, counted while the page runs.
      if (performance.now() - dueAt > Math.min(1000, this.hangGraceMs / 2)) this.armHangTimer(id, this.hangGraceMs);
      else this.hung(id);
    }, ms));
  }

  private hung(id: number): void {
    if (!this.cancelling.delete(id)) return;
    const seconds = Math.round(this.hangGraceMs / 100) / 10;
    const model = this._model ? `"${this._model}"` : this.name;
    this.crash(`a request cancelled ${seconds} s ago was still running: the engine ignored the cancel and interruptGenerate`, {
      hung: true,
      message: `The engine running ${model} hung: a call it was told to stop ${seconds} s ago was still running (it ignored the cancel and interruptGenerate, as a GPU call that never returns does), so its worker was ended and is restarted with the model reloaded from the browser's cache; requests waiting behind that call run on the restarted worker. If it hangs again the model is given up: try a smaller model or reload the page.`,
    });
  }

  private forget(id: number): void {
    this.streams.delete(id);
    this.watch();
  }

  private onStream(message: StreamMessage): void {
    const receivedAt = epochNow();
    for (const update of message.updates) {
      if (update.released) {
        clearTimeout(this.cancelling.get(update.id));
        if (this.cancelling.delete(update.id)) this.watch();
      }
      const stream = this.streams.get(update.id);
      if (!stream) continue;
      if (update.meta) stream.meta = update.meta;
      if (update.tokens) stream.tokens(update.tokens);
      if (update.error) {
        stream.fail(deserializeError(update.error));
        this.forget(update.id);
      } else if (update.end) {
        const { usage, timing } = update.end;
        stream.end(update.end.finish, usage && timing && stream.sentAt !== undefined ? withTransportTiming(usage, stream.sentAt, timing, receivedAt) : usage);
        this.forget(update.id);
      }
    }
  }

  /** The loaded model's context window, when its engine reports one (llama.cpp's n_ctx, WebLLM's context_window_size). */
  get contextWindow(): number | undefined {
    return this._state === 'ready' ? this.loaded?.contextWindow : undefined;
  }

  /** Whether the loaded model's chat template lacks a system role, when its engine knows. */
  get noSystemRole(): boolean | undefined {
    return this._state === 'ready' ? this.loaded?.noSystemRole : undefined;
  }

  /**
   * Tokens of `text` by the loaded model's own tokenizer (counted in the worker); undefined when its engine has no
   * tokenizer, no model is loaded, or the worker is gone: the protocol then estimates.
   */
  async countTokens(text: string): Promise<number | undefined> {
    if (this._state !== 'ready' || !this.loaded?.countsTokens) return undefined;
    return this.api.countTokens(text);
  }

  /** Stops the worker's current generation (WebLLM semantics: the stream ends with finish_reason 'abort'). */
  async interruptGenerate(): Promise<void> {
    if (this._state === 'ready') await this.api.interrupt();
  }

  async stats(): Promise<WorkerStats> {
    this.assertUsable();
    return this.api.stats();
  }

  /** Frees the model (GPU memory) and keeps the worker. */
  async unload(): Promise<void> {
    if (this._state !== 'ready') return;
    for (const [id, stream] of this.streams) {
      stream.fail(runtimeError('ENGINE_ERROR', { model: this._model }, { message: `${this.name}: the model was unloaded while this request was running.` }));
      this.forget(id);
    }
    await this.api.unload();
    this._model = undefined;
    this.loaded = undefined;
  }

  /** Resolves true if the worker answers within `timeoutMs`. */
  async ping(timeoutMs = this.pingTimeoutMs): Promise<boolean> {
    if (this._state !== 'ready') return false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const answered = await Promise.race([
      this.api.ping().then(() => true, () => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    return answered;
  }

  /** Ends the worker; everything in flight fails with DISPOSED. */
  terminate(): void {
    if (this._state === 'terminated') return;
    const wasReady = this._state === 'ready';
    this._state = 'terminated';
    this.stopWatching();
    this.worker.terminate();
    this.streamPort.close();
    this.release();
    if (wasReady) this.failAll(runtimeError('DISPOSED', { model: this._model }, { message: `${this.name} was terminated.` }));
  }

  // ---- liveness ----------------------------------------------------------------------------

  /** Pings run only while the worker has work: an idle worker costs nothing. */
  private watch(): void {
    const busy = this._state === 'ready' && (this.streams.size > 0 || this.loading > 0 || this.cancelling.size > 0);
    if (busy && !this.pingTimer) {
      this.pingTimer = setInterval(() => this.tick(), this.pingIntervalMs);
    } else if (!busy) this.stopWatching();
  }

  private stopWatching(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
    this.pingSentAt = undefined;
    this.lastTickAt = undefined;
    if (this._state !== 'ready') {
      for (const timer of this.cancelling.values()) clearTimeout(timer);
      this.cancelling.clear();
    }
  }

  private tick(): void {
    const now = performance.now();
    // Time the page was not running does not count against the worker: its answer may be waiting in the page's
    // queue, or it was frozen with the page and wakes a moment later.
    if (this.lastTickAt !== undefined && this.pingSentAt !== undefined) {
      const away = now - this.lastTickAt - this.pingIntervalMs;
      if (away > this.pingIntervalMs) this.pingSentAt += away;
    }
    this.lastTickAt = now;
    if (this.pingSentAt !== undefined) {
      if (now - this.pingSentAt > this.pingTimeoutMs) this.crash(`no answer to a ping for ${Math.round(now - this.pingSentAt)} ms`);
      return;
    }
    const sentAt = (this.pingSentAt = now);
    this.api.ping().then(() => {
      if (this.pingSentAt === sentAt) this.pingSentAt = undefined;
    }, () => undefined);
  }

  private crash(reason: string, hang?: { hung: true; message: string }): void {
    if (this._state !== 'ready') return;
    this._state = 'crashed';
    this.stopWatching();
    this.worker.terminate();
    this.streamPort.close();
    this.release();
    const error = runtimeError('WORKER_CRASHED', { model: this._model ?? this.name, causeMessage: reason, ...(hang ? { hung: true } : {}) }, {
      message: hang?.message ?? `The worker running ${this._model ? `"${this._model}"` : this.name} crashed or stopped answering (${reason}); its requests in flight failed. The pool restarts it once; if it keeps crashing, try a smaller model.`,
    });
    this.crashError = error;
    this.failAll(error);
    for (const listener of [...this.crashListeners]) listener(error);
  }

  /**
   * Lets the worker object go. comlink's FinalizationRegistry holds the worker for as long as the proxy `api` lives,
   * and the worker's listeners hold this object, which holds `api`: a cycle through a GC root that kept every ended
   * worker (and this engine) alive for good. Unregistering the proxy breaks it.
   */
  private release(): void {
    try {
      this.api[releaseProxy]();
    } catch {
      // already released
    }
  }

  private failAll(error: RuntimeError): void {
    for (const [id, stream] of this.streams) {
      stream.fail(error);
      this.streams.delete(id);
    }
    this.loadReject?.(error);
  }

  private assertUsable(): void {
    if (this._state !== 'ready') throw this.unusableError();
  }

  private unusableError(): RuntimeError {
    if (this._state === 'crashed') return this.crashError ?? runtimeError('WORKER_CRASHED', { model: this._model ?? this.name });
    return runtimeError('DISPOSED', { model: this._model }, { message: `${this.name} was terminated; start a new worker.` });
  }
}

function specModel(spec: HostedSpec): string {
  return spec.kind === 'scripted' ? spec.script?.model ?? 'scripted' : String(spec.model);
}

function cloneCall(call: CallInfo): CallInfo {
  return { role: call.role, layer: call.layer, agent: call.agent, ...(call.target !== undefined ? { target: call.target } : {}) };
}
