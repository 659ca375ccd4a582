/**
 * The agent worker: a module worker hosting one engine, exposed to the page with comlink.
 *
 * The engine's factory is imported lazily by kind (`webllm` pulls in @mlc-ai/web-llm, a separate chunk of this
 * worker), loaded with progress through a proxied callback and cancellable. Agents that share a model share its
 * worker: requests go to the engine in order (FIFO), as many at once as it decodes together (`HostedEngine.parallel`,
 * llama.cpp's slots; 1 for WebLLM), the rest wait. Each request has its own AbortController, so cancelling one never
 * touches the others. Tokens go back over a dedicated MessagePort, batched: everything produced since the last
 * message goes out in one `postMessage`, at most once per macrotask.
 */
import { expose, releaseProxy } from 'comlink';
import type {
  CallInfo,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  CompletionUsage,
  FinishReason,
} from '../engine/contract.js';
import { installErrorTransfer } from './comlink-errors.js';
import { classifyEngineError } from '../engine/classify-error.js';
import { libraryFileError } from '../engine/module-load.js';
import { isAbortError, isRuntimeError, runtimeError, serializeError } from '../engine/errors.js';
import type { EngineKind, HostedEngine, HostedEngineFactory, LoadProgress } from '../engine/hosted-engine.js';
import type { AgentWorkerApi, HostedSpec, LoadInfo, StreamUpdate, WorkerStats } from './stream-wire.js';
import { epochNow } from './transport-timing.js';

installErrorTransfer();

async function factoryFor(kind: EngineKind): Promise<HostedEngineFactory<never>> {
  try {
    switch (kind) {
      case 'webllm':
        return (await import('../engine/webllm/webllm.js')).createWebLLMEngine as HostedEngineFactory<never>;
      case 'wllama':
        return (await import('../engine/wllama/wllama.js')).createWllamaEngine as HostedEngineFactory<never>;
      case 'scripted':
        return (await import('../engine/scripted/scripted-hosted.js')).createScriptedHostedEngine as HostedEngineFactory<never>;
    }
  } catch (error) {
    // A chunk the app's build should have emitted next to this worker: report the file and its URL, not a network problem.
    throw libraryFileError(error, `the ${kind} engine`) ??
      runtimeError('ENGINE_UNAVAILABLE', { kind, causeMessage: (error as Error)?.message }, {
        message: `Engine kind "${kind}" could not be loaded in the worker: ${(error as Error)?.message ?? String(error)}.`,
      });
  }
  throw runtimeError('BAD_SPEC', { field: 'kind' }, { message: `Unknown engine kind "${String(kind)}": use "webllm", "wllama" or "scripted".` });
}

let port: MessagePort | undefined;
let engine: HostedEngine | undefined;
let loaded: { kind: EngineKind; model: string } | undefined;
let loadController: AbortController | undefined;
const stats = { requests: 0, tokens: 0, lastDecodeTokensPerSecond: undefined as number | undefined };

// ---- batching ---------------------------------------------------------------------------------
const pending = new Map<number, StreamUpdate>();
const flushChannel = new MessageChannel();
let flushScheduled = false;
function flush(): void {
  if (!pending.size || !port) return;
  port.postMessage({ updates: [...pending.values()] });
  pending.clear();
}
flushChannel.port1.onmessage = () => {
  flushScheduled = false;
  flush();
};
/** A MessageChannel message runs as the next macrotask without setTimeout's 4 ms clamp. */
function scheduleFlush(): void {
  if (flushScheduled) return;
  flushScheduled = true;
  flushChannel.port2.postMessage(0);
}
/** Tells the page the worker is done with a request it cancelled (the page's hang watchdog waits for this). */
function released(id: number): void {
  update(id).released = true;
  scheduleFlush();
}
function update(id: number): StreamUpdate {
  let u = pending.get(id);
  if (!u) pending.set(id, (u = { id }));
  return u;
}

// ---- requests: FIFO, as many at once as the engine decodes together ---------------------------------
interface Job {
  id: number;
  params: ChatCompletionCreateParams;
  call?: CallInfo;
  controller: AbortController;
  /** Epoch ms: the worker got it. */
  receivedAt: number;
  /** Its prompt is processed: the engine sent the first chunk. */
  prefilled?: boolean;
}
const queue: Job[] = [];
const jobs = new Map<number, Job>();
const running = new Set<Job>();

/** Requests the loaded engine takes at once (llama.cpp slots); 1 when it does not say. */
function capacity(): number {
  const parallel = engine?.parallel;
  return typeof parallel === 'number' && Number.isInteger(parallel) && parallel >= 1 ? parallel : 1;
}

/**
 * Starts waiting requests while the engine has room. A request starts only once every running one has its prompt
 * processed (its first chunk came): llama.cpp decodes several sequences together at little more than the cost of
 * one, but processing prompts side by side is slower than one after another (measured in the WASM build: bench suite
 * 12), so prompts go one at a time and the decoding overlaps.
 */
function pump(): void {
  while (running.size < capacity() && [...running].every((job) => job.prefilled)) {
    const job = queue.shift();
    if (!job) return;
    running.add(job);
    void run(job).finally(() => {
      running.delete(job);
      jobs.delete(job.id);
      if (job.controller.signal.aborted) released(job.id);
      pump();
    });
  }
}

async function run(job: Job): Promise<void> {
  const { id, controller } = job;
  const signal = controller.signal;
  if (signal.aborted) return;
  stats.requests++;
  const startedAt = epochNow();
  try {
    if (!engine || !loaded) throw runtimeError('ENGINE_ERROR', {}, { message: 'No model is loaded in this worker: call load() first.' });
    const iterable = await engine.chat.completions.create({ ...job.params, stream: true, stream_options: { include_usage: true } }, { signal, call: job.call } as never);
    let sentMeta = false;
    let finish: FinishReason | null = null;
    let usage: CompletionUsage | undefined;
    for await (const chunk of iterable as AsyncIterable<ChatCompletionChunk>) {
      if (signal.aborted) break;
      if (!job.prefilled) {
        job.prefilled = true;
        pump();
      }
      const choice = chunk.choices[0];
      const content = choice?.delta?.content;
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) {
        usage = chunk.usage;
        const decode = chunk.usage.extra?.decode_tokens_per_s;
        if (typeof decode === 'number') stats.lastDecodeTokensPerSecond = decode;
      }
      if (!content && sentMeta) continue;
      const u = update(id);
      if (!sentMeta) {
        u.meta = { id: chunk.id, model: chunk.model, created: chunk.created };
        sentMeta = true;
      }
      if (content) {
        (u.tokens ??= []).push(content);
        stats.tokens++;
      }
      scheduleFlush();
    }
    if (signal.aborted) return; // the page already ended this stream with an AbortError
    update(id).end = { finish: finish ?? 'stop', ...(usage ? { usage } : {}), timing: { receivedAt: job.receivedAt, startedAt, endedAt: epochNow() } };
    flush(); // the end goes out now: nothing more of this stream can join it, and the caller is waiting for it
  } catch (error) {
    if (signal.aborted && isAbortError(error)) return;
    const classified = isRuntimeError(error) ? error : classifyEngineError(error, { phase: 'chat', model: loaded?.model });
    update(id).error = serializeError(classified);
    flush();
  }
}

const api: AgentWorkerApi = {
  async connect(streamPort) {
    port = streamPort;
    return { ready: true, url: self.location.href };
  },

  async load(spec: HostedSpec, attempt: number, onProgress?: (progress: LoadProgress) => void): Promise<LoadInfo> {
    if (engine) await api.unload();
    loadController?.abort();
    const controller = (loadController = new AbortController());
    const started = performance.now();
    const model = spec.kind === 'scripted' ? spec.script?.model ?? 'scripted' : String(spec.model);
    const factory = await factoryFor(spec.kind);
    try {
      const hosted = await factory(spec as never, {
        signal: controller.signal,
        attempt,
        onProgress: (progress) => {
          // Fire and forget: a slow page must not slow the download.
          void Promise.resolve(onProgress?.(progress)).catch(() => undefined);
        },
      });
      if (controller.signal.aborted) {
        await hosted.unload().catch(() => undefined);
        throw runtimeError('LOAD_CANCELLED', { model });
      }
      engine = hosted;
      loaded = { kind: spec.kind, model };
      pump(); // this engine may take more requests at once than the last
      return {
        kind: spec.kind,
        model,
        loadMs: performance.now() - started,
        ...(typeof hosted.contextWindow === 'number' ? { contextWindow: hosted.contextWindow } : {}),
        ...(typeof hosted.noSystemRole === 'boolean' ? { noSystemRole: hosted.noSystemRole } : {}),
        countsTokens: typeof hosted.countTokens === 'function',
      };
    } catch (error) {
      if (controller.signal.aborted) throw runtimeError('LOAD_CANCELLED', { model }, { cause: error });
      throw classifyEngineError(error, { phase: 'load', model });
    } finally {
      if (loadController === controller) loadController = undefined;
      // The progress callback's channel is no longer needed.
      (onProgress as unknown as { [releaseProxy]?: () => void } | undefined)?.[releaseProxy]?.();
    }
  },

  cancelLoad() {
    loadController?.abort(runtimeError('LOAD_CANCELLED', { model: loaded?.model }));
  },

  chat(id, params, call) {
    const job: Job = { id, params, call, controller: new AbortController(), receivedAt: epochNow() };
    jobs.set(id, job);
    queue.push(job);
    pump();
  },

  abort(id) {
    const job = jobs.get(id);
    pending.delete(id); // tokens not yet sent are dropped: the page has ended this stream
    if (!job) return released(id); // it had already ended
    job.controller.abort();
    const index = queue.indexOf(job);
    if (index >= 0) {
      queue.splice(index, 1);
      jobs.delete(id);
      released(id);
    }
    // A running job is released when its engine call returns (see pump); one that never returns is the hang
    // the page's watchdog is for.
  },

  async interrupt() {
    await engine?.interruptGenerate?.();
  },

  async countTokens(text) {
    const count = engine?.countTokens;
    if (!engine || typeof count !== 'function') return undefined;
    const n = await count.call(engine, text);
    return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
  },

  async stats(): Promise<WorkerStats> {
    return {
      ...(loaded ? { kind: loaded.kind, model: loaded.model } : {}),
      loaded: !!engine,
      active: running.size,
      parallel: capacity(),
      queued: queue.length,
      requests: stats.requests,
      tokens: stats.tokens,
      ...(stats.lastDecodeTokensPerSecond !== undefined ? { lastDecodeTokensPerSecond: stats.lastDecodeTokensPerSecond } : {}),
      ...(engine?.stats ? { engine: await engine.stats() } : {}),
    };
  },

  async unload() {
    for (const job of [...jobs.values()]) api.abort(job.id);
    const current = engine;
    engine = undefined;
    loaded = undefined;
    await current?.unload();
  },

  ping() {
    return performance.now();
  },
};

expose(api);
