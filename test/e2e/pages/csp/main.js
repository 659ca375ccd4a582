// A page using the built element under a strict Content-Security-Policy (issue 9). The element file comes from
// ./lib/ (same origin) or from ?cdn=<origin> (another origin: the agent workers then start through a blob: bootstrap).
const cdn = new URLSearchParams(location.search).get('cdn');
const { createPoolLoader } = await import(cdn ? `${cdn}/attention-moa.js` : './lib/attention-moa.js');
const rules = [
  { when: { role: 'propose' }, reply: '**{agent}**: Paris is the capital of France.\n\n```text\nParis\n```' },
  { when: { role: 'critique' }, reply: '{agent} on {target}: correct; add a source.' },
  { when: { role: 'refine' }, reply: '{agent}: Paris, on the Seine, is the capital of France.' },
  { when: { role: 'residual' }, reply: 'NO FURTHER IMPROVEMENT' },
  // Highlighted code and formulas: their chunks load on demand, under the same policy.
  { when: { role: 'aggregate' }, reply: '**Paris** is the capital of France.\n\n- River: the Seine\n\n| City | Country |\n|---|---|\n| Paris | France |\n\n```python\ndef capital(country):\n    return "Paris"  # France\n```\n\nArea: $A = \\pi r^2$, and\n\n$$\\frac{a}{b}$$' },
];
const el = document.querySelector('attention-moa');
// Scripted engines in real agent workers, with a simulated load so the progress bars show.
el.loader = createPoolLoader({ spec: (model) => ({ kind: 'scripted', script: { rules, model, tokenDelayMs: 2 }, loadMs: 600 }) });
document.body.dataset.ready = 'true';
