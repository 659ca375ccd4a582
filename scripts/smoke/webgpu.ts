// The page behind `npm run smoke:webgpu`: real WebLLM models in agent workers, one Attention-MoA layer, and the
// measured speed of every agent. Progress goes to the console (the script prints it) and to the page.
import { AttentionMoA, EnginePool, detectCapabilities, type AttentionMoAResult, type EngineSpec } from '@attention-moa/core';

export interface SmokeOptions {
  /** WebLLM ids or families, one per agent (repeat a name to share one model between agents). */
  agents: string[];
  /** The aggregator's model (default: the first agent's). */
  aggregator?: string;
  question: string;
  memoryBudgetMB?: number;
  maxTokens: number;
  /** Check this script's plumbing without a GPU: scripted engines instead of models (no model runs). */
  scripted?: boolean;
}

const log = (line: string) => {
  console.log(line);
  document.getElementById('log')!.textContent += `${line}\n`;
};

async function smoke(options: SmokeOptions) {
  const caps = await detectCapabilities();
  log(`GPU: ${caps.adapter ? `${caps.adapter.vendor} ${caps.adapter.architecture} ${caps.adapter.description}`.trim() : 'none'}; shader-f16: ${caps.f16}; fallback adapter: ${caps.adapter?.isFallbackAdapter ?? '-'}`);
  if (caps.adapter?.isFallbackAdapter) log('warning: this is a software adapter (e.g. SwiftShader): expect well under 1 token/s');

  const models: Record<string, EngineSpec> = {};
  for (const name of [...options.agents, options.aggregator ?? options.agents[0]!]) {
    models[name] = options.scripted
      ? { kind: 'scripted', loadMs: 300, script: { model: `scripted:${name}`, tokenDelayMs: 5, rules: [{ reply: '{agent} ({role}) — a scripted reply, not written by a model.' }] } }
      : { kind: 'webllm', model: name };
  }
  if (options.scripted) log('SCRIPTED ENGINES: no model runs; this only checks the smoke test itself.');
  const aggregatorKey = options.aggregator ?? options.agents[0]!;
  const pool = new EnginePool({
    models,
    capabilities: caps,
    ...(options.memoryBudgetMB ? { memoryBudgetMB: options.memoryBudgetMB } : {}),
    protocol: { agents: options.agents.map((model, i) => ({ name: `agent${i + 1}`, model })), aggregator: { model: aggregatorKey }, layers: 1 },
    onEvent: (event) => {
      if (event.type === 'plan') log(`plan: ${event.plan.memory.mode}, ${event.plan.models.map((m) => `${m.key} → ${m.model} (${Math.round(m.vramMB)} MB)`).join(', ')}; budget ${event.plan.budgetMB} MB`);
      if (event.type === 'swap-mode') log(event.message);
      if (event.type === 'progress') log(`  ${event.model}: ${Math.round(event.progress.fraction * 100)}% ${event.progress.text} | ${event.overall.text}`);
      if (event.type === 'loaded') log(`loaded ${event.model} in ${(event.loadMs / 1000).toFixed(1)} s`);
      if (event.type === 'worker-crashed' || event.type === 'model-dropped' || event.type === 'load-failed') log(`${event.type}: ${event.model}: ${event.error.message}`);
    },
  });
  try {
    const t0 = performance.now();
    await pool.load();
    const loadSeconds = (performance.now() - t0) / 1000;
    const moa = new AttentionMoA({
      agents: options.agents.map((model, i) => ({ name: `agent${i + 1}`, engine: pool.engine(model) })),
      aggregator: { name: 'aggregator', engine: pool.engine(aggregatorKey) },
      layers: 1,
      maxTokens: { propose: options.maxTokens, critique: Math.ceil(options.maxTokens / 2), refine: options.maxTokens, aggregate: options.maxTokens },
    });
    const t1 = performance.now();
    let result: AttentionMoAResult | undefined;
    for await (const event of moa.run(options.question)) {
      if (event.type === 'call-end') {
        const r = event.record;
        log(`  ${r.role.padEnd(9)} ${r.agent}${r.target ? ` → ${r.target}` : ''}: ${r.usage?.completion_tokens ?? '?'} tokens, ${r.finishReason}${r.error ? ` (${r.error.code ?? r.error.name}: ${r.error.message})` : ''}`);
      }
      if (event.type === 'done') result = event.result;
      if (event.type === 'error') throw event.error;
    }
    const runSeconds = (performance.now() - t1) / 1000;
    // Speed per agent: completion tokens over decode time (first token to end), summed over its calls.
    const perAgent = new Map<string, { calls: number; tokens: number; decodeSeconds: number; engineTokS: number[] }>();
    for (const r of result!.trace) {
      const a = perAgent.get(r.agent) ?? { calls: 0, tokens: 0, decodeSeconds: 0, engineTokS: [] };
      a.calls++;
      a.tokens += r.usage?.completion_tokens ?? 0;
      if (r.firstTokenAt !== undefined) a.decodeSeconds += (r.endedAt - r.firstTokenAt) / 1000;
      const reported = r.usage?.extra?.decode_tokens_per_s;
      if (typeof reported === 'number') a.engineTokS.push(reported);
      perAgent.set(r.agent, a);
    }
    const rows = [...perAgent.entries()].map(([agent, a]) => ({
      agent,
      calls: a.calls,
      tokens: a.tokens,
      tokensPerSecond: a.decodeSeconds > 0 ? a.tokens / a.decodeSeconds : 0,
      webllmDecodeTokensPerSecond: a.engineTokS.length ? a.engineTokS.reduce((x, y) => x + y, 0) / a.engineTokS.length : null,
    }));
    return { ok: true as const, loadSeconds, runSeconds, calls: result!.trace.length, dropped: result!.dropped, answer: result!.answer, rows };
  } catch (error) {
    const e = error as { name?: string; code?: string; message?: string; details?: unknown };
    return { ok: false as const, error: { name: e.name, code: e.code, message: e.message, details: e.details } };
  } finally {
    await pool.dispose();
  }
}

declare global {
  interface Window {
    smoke: typeof smoke;
  }
}
window.smoke = smoke;
document.title = 'smoke: ready';
