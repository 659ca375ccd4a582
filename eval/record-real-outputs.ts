// Records what the real models write when they run the protocol, as fixtures for the protocol's unit tests
// (test/fixtures/real-outputs/). `node eval/launch.mjs eval/record-real-outputs.ts <name> [question…]`.
// Greedy decoding, so a recording is reproducible on the same models and prompts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openEvalBrowser } from './lib/browser.js';
import { REAL_MODELS, checkModelFiles } from './lib/real-models.js';
import type { HarnessRun } from './page/harness.js';

const QUESTIONS = [
  'What is 17 + 25?',
  'What is the capital of Australia?',
  'Is a tomato a fruit or a vegetable? Answer in one sentence.',
  'Why is the sky blue?',
];

export const RECORD_SETTINGS: Omit<HarnessRun, 'question'> = {
  agents: ['smollm2', 'gemma'],
  aggregator: 'smollm2',
  layers: 2,
  attention: 'full',
  residual: true,
  earlyStop: 'judge',
  maxTokens: { propose: 80, critique: 64, refine: 80, aggregate: 80, residual: 80 },
  temperature: 0,
};

/** What kind of prompt a call had: the role, refined by what the role's prompt contained. */
function promptKind(c: { role: string; layer: number; agent: string; target?: string }): string {
  if (c.role === 'propose') return c.layer === 1 ? 'propose' : 'propose-with-reference';
  if (c.role === 'critique') return c.agent === c.target ? 'critique-self' : 'critique-peer';
  if (c.role === 'residual') return RECORD_SETTINGS.earlyStop === 'judge' ? 'residual-with-judge' : 'residual';
  return c.role;
}

export async function main(args: string[], env: { baseUrl: string; root: string }) {
  const [name = 'recording', ...questions] = args;
  checkModelFiles(env.root);
  const browser = await openEvalBrowser(env.baseUrl, REAL_MODELS, { progress: true });
  const dir = join(env.root, 'test/fixtures/real-outputs');
  mkdirSync(dir, { recursive: true });
  const runs = [];
  try {
    for (const question of questions.length ? questions : QUESTIONS) {
      const r = await browser.run({ question, ...RECORD_SETTINGS });
      console.log(`${question} → ${r.calls.length} calls, ${(r.wallMs / 1000).toFixed(0)} s, early stop: ${r.earlyStop?.mode ?? 'none'}; answer: ${JSON.stringify(r.answer.slice(0, 160))}`);
      runs.push({
        question,
        answer: r.answer,
        layerOutputs: r.layerOutputs,
        ...(r.earlyStop ? { earlyStop: r.earlyStop } : {}),
        ...(r.error ? { error: r.error } : {}),
        wallMs: Math.round(r.wallMs),
        calls: r.calls.map((c) => ({ ...c, promptKind: promptKind(c), ms: Math.round(c.ms) })),
      });
      // Written after every question: a long recording that is stopped keeps what it has.
      writeFileSync(
        join(dir, `${name}.json`),
        JSON.stringify(
          {
            recordedAt: new Date().toISOString(),
            models: Object.fromEntries(REAL_MODELS.map((m) => [m.key, { file: m.file, label: m.label, contextWindow: m.contextWindow, noSystemRole: m.noSystemRole, ...(m.chatTemplate ? { chatTemplate: m.chatTemplate } : {}) }])),
            settings: RECORD_SETTINGS,
            engine: 'wllama (llama.cpp WASM), one agent worker per model, 1 thread, Chromium headless',
            runs,
          },
          null,
          1,
        ) + '\n',
      );
    }
  } finally {
    await browser.close();
  }
  return 0;
}
