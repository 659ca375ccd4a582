// Hosts one WASM engine in a module worker, as the runtime's agent worker does (wllama nests its own worker).
// Aborts are decided here, after a given token, so their latency is measured without page↔worker hops.
import * as Comlink from 'comlink';
import {
  createWllamaEngine,
  deleteWllamaCached,
  listWllamaCache,
  type ChatCompletionChunk,
  type ChatCompletionCreateParams,
  type WllamaSpec,
} from '@attention-moa/core';
import type { HostedEngine, LoadProgress } from '../../../packages/core/src/engine/hosted-engine.js';

let engine: HostedEngine | undefined;

export interface ChatRun {
  text: string;
  contentChunks: number;
  chunks: ChatCompletionChunk[];
  finishReason: string | null;
  error?: { name: string; message: string; code?: string };
  /** abort() → the stream rejected, ms. */
  abortLatencyMs?: number;
  /** abort() → llama.cpp's request settled in wllama (stats().pendingRequests back to 0), ms. */
  settleLatencyMs?: number;
  wallMs: number;
}

function errorData(error: unknown) {
  const e = error as { name?: string; message?: string; code?: string; details?: Record<string, unknown> };
  return { name: String(e?.name), message: String(e?.message ?? error), code: e?.code, details: e?.details };
}

async function pendingZero(since: number): Promise<number> {
  for (;;) {
    const stats = await engine!.stats!();
    if (stats.pendingRequests === 0) return performance.now() - since;
    if (performance.now() - since > 5000) return Infinity;
    await new Promise((r) => setTimeout(r, 2));
  }
}

const api = {
  async load(spec: WllamaSpec, onProgress?: (p: LoadProgress) => void) {
    const started = performance.now();
    try {
      engine = await createWllamaEngine(spec, { onProgress: (p) => void onProgress?.(p), signal: new AbortController().signal });
      return { ok: true as const, ms: performance.now() - started, stats: await engine.stats!() };
    } catch (error) {
      return { ok: false as const, error: errorData(error) };
    }
  },
  async chat(
    params: ChatCompletionCreateParams,
    control: { abortAfterTokens?: number; interruptAfterTokens?: number; breakAfterTokens?: number } = {},
  ): Promise<ChatRun> {
    const controller = new AbortController();
    const started = performance.now();
    const run: ChatRun = { text: '', contentChunks: 0, chunks: [], finishReason: null, wallMs: 0 };
    let abortedAt: number | undefined;
    try {
      const stream = await engine!.chat.completions.create({ ...params, stream: true }, { signal: controller.signal });
      for await (const chunk of stream) {
        run.chunks.push(chunk);
        const content = chunk.choices[0]?.delta.content;
        if (content) {
          run.text += content;
          run.contentChunks += 1;
        }
        run.finishReason = chunk.choices[0]?.finish_reason ?? run.finishReason;
        if (run.contentChunks === control.abortAfterTokens && abortedAt === undefined) {
          abortedAt = performance.now();
          controller.abort();
        }
        if (run.contentChunks === control.interruptAfterTokens) engine!.interruptGenerate!();
        if (run.contentChunks === control.breakAfterTokens) {
          abortedAt = performance.now();
          break;
        }
      }
    } catch (error) {
      if (abortedAt !== undefined) run.abortLatencyMs = performance.now() - abortedAt;
      run.error = errorData(error);
    }
    if (abortedAt !== undefined) run.settleLatencyMs = await pendingZero(abortedAt);
    run.wallMs = performance.now() - started;
    return run;
  },
  async stats() {
    return engine?.stats?.();
  },
  async unload() {
    await engine?.unload();
    engine = undefined;
  },
  listCache: () => listWllamaCache(),
  deleteCached: (url: string) => deleteWllamaCached(url),
  async fileOf(url: string): Promise<Blob> {
    return (await fetch(url)).blob();
  },
};

export type WllamaEngineWorkerApi = typeof api;
Comlink.expose(api);
