#!/usr/bin/env node
// npm run smoke:webgpu — on a machine with a GPU and internet: loads a small real model with WebLLM (in agent
// workers, cached in IndexedDB) and runs one Attention-MoA layer, printing tok/s per agent. Not part of npm test.
//
//   npm run smoke:webgpu                                   # 3 agents + aggregator sharing SmolLM2-360M-Instruct
//   npm run smoke:webgpu -- --agents Qwen2.5-0.5B-Instruct,Llama-3.2-1B-Instruct,SmolLM2-360M-Instruct
//   npm run smoke:webgpu -- --headed --budget 2048 --max-tokens 96 --question "Why is the sky blue?"
//   CHROMIUM_PATH=/usr/bin/google-chrome npm run smoke:webgpu
//   npm run smoke:webgpu -- --scripted --fresh             # no GPU: checks the script itself, no model runs
//
// The browser profile lives in .smoke-profile/ so the second run loads the weights from IndexedDB (no download).
import { createServer } from 'vite';
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const value = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
if (flag('help')) {
  console.log('usage: npm run smoke:webgpu -- [--agents a,b,c] [--aggregator m] [--question text] [--max-tokens n] [--budget MB] [--headed] [--port n] [--fresh] [--scripted]');
  console.log('  --fresh     a throwaway browser profile (default: .smoke-profile/, so weights stay cached between runs)');
  console.log('  --scripted  scripted engines instead of models: checks this script on a machine without a GPU (no model runs)');
  process.exit(0);
}
const agents = value('agents', 'SmolLM2-360M-Instruct,SmolLM2-360M-Instruct,SmolLM2-360M-Instruct').split(',').map((s) => s.trim()).filter(Boolean);
const options = {
  agents,
  ...(value('aggregator') ? { aggregator: value('aggregator') } : {}),
  question: value('question', 'In two sentences: why does the Moon cause tides?'),
  maxTokens: Number(value('max-tokens', '64')),
  ...(value('budget') ? { memoryBudgetMB: Number(value('budget')) } : {}),
  ...(flag('scripted') ? { scripted: true } : {}),
};
const port = Number(value('port', '4398'));

function browserPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const p of ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/google-chrome', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome']) if (existsSync(p)) return p;
  return undefined; // Playwright's own Chromium, if installed
}

const server = await createServer({ root, configFile: `${root}vite.config.ts`, server: { port, strictPort: true, host: '127.0.0.1' }, logLevel: 'error' });
await server.listen();
const profile = `${root}.smoke-profile`;
let context;
let exitCode = 1;
try {
  const executablePath = browserPath();
  context = await chromium.launchPersistentContext(flag('fresh') ? '' : profile, {
    headless: !flag('headed'),
    ...(executablePath ? { executablePath } : {}),
    // WebGPU in headless Chromium needs the unsafe flag on Linux; Vulkan is the usual backend there.
    args: ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--no-first-run'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => console.log(message.text()));
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(`http://127.0.0.1:${port}/scripts/smoke/webgpu.html`);
  await page.waitForFunction(() => document.title === 'smoke: ready', null, { timeout: 60_000 });
  console.log(`smoke: ${agents.length} agents (${agents.join(', ')}), question: ${options.question}`);
  const report = await page.evaluate((o) => window.smoke(o), options);
  if (!report.ok) {
    console.error(`\nFAILED: ${report.error.name} ${report.error.code ?? ''}\n${report.error.message}`);
    if (report.error.details) console.error('details:', JSON.stringify(report.error.details));
  } else {
    console.log(`\nloaded in ${report.loadSeconds.toFixed(1)} s; one layer (${report.calls} calls) in ${report.runSeconds.toFixed(1)} s; dropped: ${report.dropped.length ? report.dropped.map((d) => d.agent).join(', ') : 'none'}`);
    console.log('\nagent        calls  tokens   tok/s (page)   tok/s (engine-reported)');
    for (const row of report.rows) {
      console.log(`${row.agent.padEnd(12)} ${String(row.calls).padStart(5)}  ${String(row.tokens).padStart(6)}   ${row.tokensPerSecond.toFixed(1).padStart(12)}   ${row.webllmDecodeTokensPerSecond === null ? '-' : row.webllmDecodeTokensPerSecond.toFixed(1)}`);
    }
    console.log(`\nanswer:\n${report.answer}`);
    exitCode = 0;
  }
} catch (error) {
  console.error('smoke: could not run:', error instanceof Error ? error.message : error);
} finally {
  await context?.close().catch(() => {});
  await server.close();
}
process.exit(exitCode);
