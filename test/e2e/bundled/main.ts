// An app's own bundle: the packages are imported by name and resolved through their package.json `exports`
// (dist/lib, with lit, marked and @attention-moa/core as ordinary dependencies), like any npm dependency.
import '@attention-moa/element';
import type { AttentionMoAElement } from '@attention-moa/element';
import { ScriptedEngine } from '@attention-moa/core';

const rules = [
  { when: { role: 'propose' as const }, reply: '{agent}: Paris is the capital of France.' },
  { when: { role: 'critique' as const }, reply: '{agent} on {target}: fine.' },
  { when: { role: 'residual' as const }, reply: 'NO FURTHER IMPROVEMENT' },
  { when: { role: 'aggregate' as const }, reply: '**Paris** is the capital of France (bundled app).' },
  { reply: '{agent}: Paris, on the Seine.' },
];
const engine = () => new ScriptedEngine({ rules });
const el: AttentionMoAElement = document.querySelector('attention-moa')!;
el.aggregator = { name: 'Aggregator', engine: engine() };
el.agents = ['Ada', 'Ben', 'Cy'].map((name) => ({ name, engine: engine() }));
el.addEventListener('moa-done', (e) => (document.body.dataset.calls = String(e.detail.result.trace.length)));
document.body.dataset.ready = 'true';
