/**
 * The scripted engine as a worker-hosted engine (kind 'scripted'): the same deterministic test double, loaded
 * through the very path a real model takes (lazy import, load with progress, cancellable, stats, unload).
 *
 * For testing the runtime itself it can also pretend to need GPU memory (`vramMB`, for swap-mode plans), take
 * time to load (`loadMs`, with progress reports), fail its load, or crash its worker on cue (`crash`).
 * None of this is a model; its output must never be presented as one's.
 */
import { ScriptedEngine, type ScriptedEngineOptions } from './scripted.js';
import type { ChatCompletionChunk, ChatCompletionCreateParams } from '../contract.js';
import type { EngineStats, HostedEngine, HostedEngineFactory } from '../hosted-engine.js';
import { runtimeError } from '../errors.js';
import type { CallRequestOptions } from '../contract.js';

/** Crash the worker hosting this engine: for tests of crash detection and restart. */
export interface ScriptedCrash {
  /** 'close': the worker calls self.close() (goes silent); 'throw': an uncaught error (the Worker's `error` event);
   *  'hang': a busy loop that never yields (only a ping timeout notices); 'stuck': the call awaits something that
   *  never settles and ignores its AbortSignal and interruptGenerate, while the worker stays responsive (pings are
   *  answered): a GPU await that never returns. Only the page's watchdog on cancelled calls notices. */
  how: 'close' | 'throw' | 'hang' | 'stuck';
  /** Crash during this call of the worker (1-based, counted over the worker's life). Default 1. */
  onCall?: number;
  /** …after streaming this many tokens of it. Default 0. */
  afterTokens?: number;
  /** Crash only in workers whose attempt number is below this (0 = the first worker). Default 1: a restarted
   *  worker behaves. Use a large number for a model that crashes every time. */
  attemptsBelow?: number;
}

export interface ScriptedWorkerSpec {
  kind: 'scripted';
  /** The script. Rules must be plain data here (no function replies: functions cannot be sent to a worker). */
  script?: ScriptedEngineOptions;
  /** GPU memory to plan for, MB (default 0). Lets tests exercise swap mode without a GPU. */
  vramMB?: number;
  /** Simulated load time in ms, reported as progress in 10 steps (default 0). */
  loadMs?: number;
  /** Make the load fail with an error of this name and message (the runtime classifies it like a real one). */
  failLoad?: { name: string; message: string };
  crash?: ScriptedCrash;
  /** Requests its worker passes to it at once (default 1: one at a time, like a real local model). */
  parallel?: number;
}

const scope = globalThis as unknown as { close?: () => void };

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

/** Never settles, whatever is aborted or interrupted. */
const never = () => new Promise<never>(() => {});

function crashNow(how: Exclude<ScriptedCrash['how'], 'stuck'>): void {
  if (how === 'close') scope.close?.();
  else if (how === 'throw') setTimeout(() => { throw new Error('scripted worker crash (uncaught error)'); });
  else {
    const until = Date.now() + 10 * 60_000;
    while (Date.now() < until) { /* hang: never yield to the event loop */ }
  }
}

export const createScriptedHostedEngine: HostedEngineFactory<ScriptedWorkerSpec> = async (spec, context) => {
  const loadMs = spec.loadMs ?? 0;
  const started = performance.now();
  const steps = loadMs > 0 ? 10 : 0;
  for (let i = 1; i <= steps; i++) {
    await sleep(loadMs / steps, context.signal).catch(() => {
      throw runtimeError('LOAD_CANCELLED', { model: spec.script?.model ?? 'scripted' });
    });
    context.onProgress({ progress: i / steps, text: `Loading scripted engine [${i}/${steps}]`, loadedBytes: i * 1_000_000, totalBytes: steps * 1_000_000, elapsedSeconds: (performance.now() - started) / 1000 });
  }
  if (context.signal.aborted) throw runtimeError('LOAD_CANCELLED', { model: spec.script?.model ?? 'scripted' });
  if (spec.failLoad) {
    const error = new Error(spec.failLoad.message);
    error.name = spec.failLoad.name;
    throw error;
  }
  if (steps === 0) context.onProgress({ progress: 1, text: 'Scripted engine ready', elapsedSeconds: 0 });

  const engine = new ScriptedEngine(spec.script ?? {});
  const crash = spec.crash && (context.attempt ?? 0) < (spec.crash.attemptsBelow ?? 1) ? spec.crash : undefined;
  let calls = 0;
  const create = async (params: ChatCompletionCreateParams & { stream: true }, options?: CallRequestOptions): Promise<AsyncIterable<ChatCompletionChunk>> => {
    const call = ++calls;
    const stream = await engine.chat.completions.create(params, options);
    if (!crash || call !== (crash.onCall ?? 1)) return stream;
    return (async function* () {
      let tokens = 0;
      const fault = async () => (crash.how === 'stuck' ? never() : crashNow(crash.how));
      if ((crash.afterTokens ?? 0) === 0) await fault();
      for await (const chunk of stream) {
        yield chunk;
        if (chunk.choices[0]?.delta.content && ++tokens === crash.afterTokens) await fault();
      }
    })();
  };
  const hosted: HostedEngine = {
    chat: { completions: { create } } as HostedEngine['chat'],
    ...(spec.parallel !== undefined ? { parallel: spec.parallel } : {}),
    interruptGenerate: () => engine.interruptGenerate(),
    async unload() {},
    stats(): EngineStats {
      return { text: `scripted: ${engine.callCount} calls`, calls: engine.callCount };
    },
  };
  return hosted;
};
