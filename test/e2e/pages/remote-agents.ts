// A mixed ensemble: one agent in this browser (SmolLM2 in llama.cpp's WASM build, in a worker) and one on llama.cpp's
// OpenAI-compatible server on 127.0.0.1 (the same model, reached through the test's fault proxy), both in one
// EnginePool. The answer is streamed through `moa.chat.completions.create({ stream: true })`.
import { AttentionMoA, EnginePool, offDevice, type CallRecord, type EnsembleChatCompletionChunk, type PoolEvent } from '@attention-moa/core';

let pool: EnginePool | undefined;
let moa: AttentionMoA | undefined;
const poolEvents: PoolEvent[] = [];

export interface MixedRun {
  streamed: string;
  answer: string;
  chunks: number;
  finishReason: string | null;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  traceUsage: { prompt: number; completion: number };
  calls: Pick<CallRecord, 'role' | 'agent' | 'model' | 'finishReason' | 'text'>[];
  error?: { name: string; message: string; code?: string };
  tokensBeforeAbort?: number;
}

const harness = {
  async setup(options: { serverURL: string; gguf: string }) {
    pool = new EnginePool({
      models: {
        wasm: { kind: 'wllama', model: options.gguf, modelId: 'SmolLM2-135M (WASM)', contextWindow: 2048 },
        server: { kind: 'openai', baseURL: options.serverURL, model: 'smollm2', retries: 2, retryDelayMs: 100, timeoutMs: 60_000 },
      },
      onEvent: (event) => poolEvents.push(event),
    });
    const plan = await pool.load();
    // Classic MoA (no critiques) and short answers: 3 real calls, so a loaded 2-core machine answers in well under a minute.
    const max = { propose: 32, aggregate: 40 };
    moa = new AttentionMoA({
      agents: [
        { name: 'in-browser', engine: pool.engine('wasm'), contextWindow: 2048 },
        { name: 'server', engine: pool.engine('server'), contextWindow: 2048 },
      ],
      aggregator: { engine: pool.engine('server'), contextWindow: 2048 },
      maxTokens: max,
      attention: 'none',
      temperature: 0,
    });
    return {
      plan: plan.models.map((m) => ({ key: m.key, kind: m.kind, vramMB: m.vramMB, remote: m.remote })),
      remoteEvent: poolEvents.find((e) => e.type === 'remote'),
      offDevice: { wasm: offDevice(pool.engine('wasm')) ?? null, server: offDevice(pool.engine('server')) ?? null },
    };
  },

  /** Streams one answer; `abortAfterTokens` aborts the run once that many answer tokens arrived. */
  async run(options: { question?: string; abortAfterTokens?: number } = {}): Promise<MixedRun> {
    const controller = new AbortController();
    const result: MixedRun = { streamed: '', answer: '', chunks: 0, finishReason: null, traceUsage: { prompt: 0, completion: 0 }, calls: [] };
    let tokens = 0;
    try {
      const stream = await moa!.chat.completions.create(
        { messages: [{ role: 'user', content: options.question ?? 'What is the capital of France? Answer in one sentence.' }], stream: true, stream_options: { include_usage: true } },
        { signal: controller.signal },
      );
      for await (const chunk of stream as AsyncIterable<EnsembleChatCompletionChunk>) {
        result.chunks++;
        const content = chunk.choices[0]?.delta.content;
        if (content) {
          result.streamed += content;
          if (++tokens === options.abortAfterTokens) {
            result.tokensBeforeAbort = tokens;
            controller.abort();
          }
        }
        if (chunk.choices[0]?.finish_reason) result.finishReason = chunk.choices[0].finish_reason;
        if (chunk.usage) result.usage = chunk.usage;
        const run = chunk.attention_moa;
        if (run) {
          result.answer = run.answer;
          result.calls = run.trace.map(({ role, agent, model, finishReason, text }) => ({ role, agent, ...(model ? { model } : {}), finishReason, text }));
          result.traceUsage = {
            prompt: run.trace.reduce((sum, r) => sum + (r.usage?.prompt_tokens ?? r.promptTokens), 0),
            completion: run.usage.completionTokens,
          };
        }
      }
    } catch (error) {
      const e = error as Error & { code?: string };
      result.error = { name: e.name, message: e.message, ...(e.code ? { code: e.code } : {}) };
    }
    return result;
  },

  /** One request straight to the server agent's engine (retries and abort without a whole run). */
  async direct(options: { maxTokens: number; abortAfterChunks?: number }) {
    const controller = new AbortController();
    let text = '';
    let chunks = 0;
    try {
      const stream = await pool!.engine('server').chat.completions.create(
        { messages: [{ role: 'user', content: 'Count from one to twenty in words.' }], stream: true, max_tokens: options.maxTokens, temperature: 0 },
        { signal: controller.signal },
      );
      for await (const chunk of stream) {
        const content = chunk.choices[0]?.delta.content;
        if (content) {
          text += content;
          if (++chunks === options.abortAfterChunks) controller.abort();
        }
      }
      return { text, chunks };
    } catch (error) {
      return { text, chunks, error: { name: (error as Error).name, message: (error as Error).message } };
    }
  },

  async dispose() {
    await pool?.dispose();
  },
};

declare global {
  interface Window {
    remote: typeof harness;
  }
}
window.remote = harness;
document.querySelector('#status')!.textContent = 'ready';
