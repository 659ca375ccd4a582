// A page author's app, as the README's "Use it in your app" builds it: the package imported by name, its agent
// workers built by this app's bundler. The test picks the engine with ?engine=wasm&gguf=<origin>, ?engine=scripted,
// or ?engine=ensemble&gguf=<origin> (core's createEnsemble, without the element).
import '@attention-moa/element';
import { createPoolLoader, type AttentionMoAElement, type EngineSpec } from '@attention-moa/element';

const params = new URLSearchParams(location.search);
const el: AttentionMoAElement = document.querySelector('attention-moa')!;

if (params.get('engine') === 'ensemble') {
  // Core alone, no element: createEnsemble from model ids (see ensemble.ts).
  el.remove();
  const { runEnsemble } = await import('./ensemble.js');
  await runEnsemble(params.get('gguf') ?? 'http://127.0.0.1:8080', document.body);
} else if (params.get('engine') === 'scripted') {
  // Scripted engines (test doubles, labelled "simulated") in real agent workers.
  const rules = [
    { when: { role: 'propose' as const }, reply: '{agent}: Paris is the capital of France.' },
    { when: { role: 'critique' as const }, reply: '{agent} on {target}: correct.' },
    { when: { role: 'aggregate' as const }, reply: '**Paris** is the capital of France (fresh Vite app).' },
    { reply: '{agent}: Paris, on the Seine.' },
  ];
  el.loader = createPoolLoader({ spec: (model): EngineSpec => ({ kind: 'scripted', script: { rules, model, tokenDelayMs: 5 } }) });
  el.models = 'Ada, Ben';
} else {
  // GGUF models run by llama.cpp in WebAssembly, on the CPU.
  const origin = params.get('gguf') ?? 'http://127.0.0.1:8080';
  el.loader = createPoolLoader({ spec: (file): EngineSpec => ({ kind: 'wllama', model: `${origin}/${file}` }) });
  el.models = 'tiny-agent-a.gguf, tiny-agent-b.gguf';
  el.options = { temperature: 0 };
}
document.body.dataset.ready = 'true';
