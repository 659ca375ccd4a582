// The example page: an ensemble, served at ./v1 through the Service Worker, asked by the official `openai` client as if
// it were any OpenAI endpoint. The engines are scripted (simulated, labelled so); swap in EnginePool engines for models.
import OpenAI from 'openai';
import { AttentionMoA, ScriptedEngine, createOpenAIHandler } from '@attention-moa/core';
import { serveOpenAI } from './serve-openai.js';

const engine = new ScriptedEngine({
  tokenDelayMs: 30,
  rules: [{ when: { role: 'aggregate' }, reply: 'A simulated answer, streamed token by token through the Service Worker.' }],
});
const moa = new AttentionMoA({ agents: [{ name: 'a', engine }, { name: 'b', engine }], aggregator: { engine } });

const base = new URL('./v1', location.href);
await serveOpenAI(createOpenAIHandler(moa, { basePath: base.pathname }), new URL('./sw.ts', import.meta.url).href);

// From here on, any OpenAI client works against `${location.origin}…/v1`: plain fetch goes through the worker.
const client = new OpenAI({ baseURL: base.href, apiKey: 'unused', dangerouslyAllowBrowser: true });
const out = document.querySelector<HTMLOutputElement>('#answer')!;
document.querySelector('form')!.addEventListener('submit', async (event) => {
  event.preventDefault();
  const question = new FormData(event.target as HTMLFormElement).get('q') as string;
  out.value = '';
  const stream = await client.chat.completions.create({ model: 'attention-moa', messages: [{ role: 'user', content: question }], stream: true });
  for await (const chunk of stream) out.value += chunk.choices[0]?.delta.content ?? '';
});
document.querySelector('#status')!.textContent = 'ready';
