// A page author's webpack 5 app: the package imported by name; webpack builds the agent worker from
// `new Worker(new URL(…, import.meta.url))` inside @attention-moa/core, with its chunks and the wasm.
// The test picks the engine with ?engine=wasm&gguf=<origin> or ?engine=scripted.
import '@attention-moa/element';
import { createPoolLoader } from '@attention-moa/element';

const params = new URLSearchParams(location.search);
const el = document.querySelector('attention-moa');

if (params.get('engine') === 'scripted') {
  // Scripted engines (test doubles, labelled "simulated") in real agent workers.
  const rules = [
    { when: { role: 'propose' }, reply: '{agent}: Paris is the capital of France.' },
    { when: { role: 'critique' }, reply: '{agent} on {target}: correct.' },
    { when: { role: 'aggregate' }, reply: '**Paris** is the capital of France (fresh webpack app).' },
    { reply: '{agent}: Paris, on the Seine.' },
  ];
  el.loader = createPoolLoader({ spec: (model) => ({ kind: 'scripted', script: { rules, model, tokenDelayMs: 5 } }) });
  el.models = 'Ada, Ben';
} else {
  // GGUF models run by llama.cpp in WebAssembly, on the CPU.
  const origin = params.get('gguf') ?? 'http://127.0.0.1:8080';
  el.loader = createPoolLoader({ spec: (file) => ({ kind: 'wllama', model: `${origin}/${file}` }) });
  el.models = 'tiny-agent-a.gguf, tiny-agent-b.gguf';
  el.options = { temperature: 0 };
}
document.body.dataset.ready = 'true';
