/**
 * The engines and protocol settings the real-engine suites run (Node side): the tiny generated GGUF models (3
 * agents + an aggregator, one worker each, always writing to their token limit) and the real instruct model
 * SmolLM2-135M-Instruct (agents differ by sampling seed). `openBench` opens the bench page and drives it.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import type { AgentSetup, DecodeResult, ModelSetup, RunResult, RunSetup, WllamaBench } from '../pages/wllama-protocol.js';
import { generateTinyModels } from '../../test/fixtures/gguf/generate.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const TINY_MODELS: Record<string, ModelSetup> = {
  a: { url: '/test/fixtures/generated/tiny-agent-a.gguf', modelId: 'tiny-agent-a.gguf' },
  b: { url: '/test/fixtures/generated/tiny-agent-b.gguf', modelId: 'tiny-agent-b.gguf' },
  c: { url: '/test/fixtures/generated/tiny-agent-c.gguf', modelId: 'tiny-agent-c.gguf' },
  agg: { url: '/test/fixtures/generated/tiny-aggregator.gguf', modelId: 'tiny-aggregator.gguf' },
};
export const TINY_AGENTS: AgentSetup[] = [
  { name: 'A', key: 'a' },
  { name: 'B', key: 'b' },
  { name: 'C', key: 'c' },
];
export const TINY_AGGREGATOR: AgentSetup = { name: 'aggregator', key: 'agg' };
/** The tiny models never emit end-of-turn: every call writes exactly this many tokens. */
export const TINY_TOKENS = { propose: 24, critique: 12, refine: 24, aggregate: 32, residual: 32 };

/** The real model files, in models/ at the repo root (`npm run models`). */
export const REAL_FILES = {
  smollm2: 'SmolLM2-135M-Instruct.Q4_1.gguf',
  gemma: 'gemma-3-270m-q4_k_m.gguf',
} as const;
/** Whether models/<file> is there (`npm run models` puts it there); false when it is not, or when BENCH_REAL=0 asks
 *  to skip real models (they take most of the time on a shared machine). */
export function ensureRealModel(file: string): boolean {
  if (process.env.BENCH_REAL === '0') return false;
  return existsSync(join(ROOT, 'models', file));
}

export const realUrl = (file: string) => `/models/${file}`;

/** Three SmolLM2 agents that differ by sampling seed (temperature 0.7: each seed gives the same text every time). */
export const SMOL_MODELS: Record<string, ModelSetup> = {
  s1: { url: realUrl(REAL_FILES.smollm2), modelId: 'smollm2-seed1', seed: 1, contextWindow: 2048 },
  s2: { url: realUrl(REAL_FILES.smollm2), modelId: 'smollm2-seed2', seed: 2, contextWindow: 2048 },
  s3: { url: realUrl(REAL_FILES.smollm2), modelId: 'smollm2-seed3', seed: 3, contextWindow: 2048 },
};
export const SMOL_AGENTS: AgentSetup[] = [
  { name: 'A', key: 's1' },
  { name: 'B', key: 's2' },
  { name: 'C', key: 's3' },
];
/** The aggregator shares agent A's model and worker (one copy of the weights). */
export const SMOL_AGGREGATOR: AgentSetup = { name: 'aggregator', key: 's1' };
/** Small limits: this machine decodes a 135M model at a few tokens/s when it is shared. */
export const SMOL_TOKENS = { propose: 32, critique: 24, refine: 32, aggregate: 48, residual: 48 };

export interface Bench {
  setup(models: Record<string, ModelSetup>): Promise<{ loadMs: number; slots: { keys: string[]; parallel: number }[] }>;
  run(setup: RunSetup): Promise<RunResult>;
  /** The same requests on one engine, all at once or one after another (no protocol). */
  decode(setup: { key: string; prompts: string[]; maxTokens: number; together: boolean }): Promise<DecodeResult>;
  dispose(): Promise<void>;
}

/** Opens the built bench page (dist/bench) and returns its driver. Writes the tiny models first. */
export async function openBench(page: Page): Promise<Bench> {
  generateTinyModels(ROOT);
  await page.goto('/dist/bench/wllama-protocol.html');
  await expect(page.locator('#status')).toHaveText('ready');
  const call = <K extends keyof WllamaBench>(name: K, arg?: unknown) =>
    page.evaluate(([n, a]) => (window as unknown as { bench: Record<string, (x?: unknown) => unknown> }).bench[n as string]!(a), [name, arg] as const);
  return {
    setup: (models) => call('setup', models) as ReturnType<Bench['setup']>,
    run: (setup) => call('run', setup) as Promise<RunResult>,
    decode: (setup) => call('decode', setup) as Promise<DecodeResult>,
    dispose: () => call('dispose') as Promise<void>,
  };
}

/**
 * One bench page for the whole file: opened before its first test, closed after its last. Returns a driver that
 * forwards to it (so suites write `bench.run(…)` at top level).
 */
export function benchPerFile(): Bench {
  let page: Page | undefined;
  let bench: Bench | undefined;
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    bench = await openBench(page);
  });
  test.afterAll(async () => {
    await bench?.dispose().catch(() => undefined);
    await page?.close();
  });
  const opened = () => {
    if (!bench) throw new Error('the bench page is not open: benchPerFile() opens it in beforeAll');
    return bench;
  };
  return {
    setup: (models) => opened().setup(models),
    run: (setup) => opened().run(setup),
    decode: (setup) => opened().decode(setup),
    dispose: () => opened().dispose(),
  };
}
