// The protocol alone, in Node: `@attention-moa/core/protocol` imports without worker code, WebLLM, wllama or a DOM.
import { AttentionMoA, ScriptedEngine, MoAError } from '@attention-moa/core/protocol';

const engine = new ScriptedEngine({
  rules: [
    { when: { role: 'aggregate' }, reply: 'Paris (from Node).' },
    { reply: '{agent}: Paris.' },
  ],
});
const moa = new AttentionMoA({ agents: [{ name: 'Ada', engine }, { name: 'Ben', engine }], aggregator: { name: 'Agg', engine } });
const result = await moa.complete([{ role: 'user', content: 'Capital of France?' }]);
let error;
try {
  new AttentionMoA({ agents: [] });
} catch (e) {
  error = e;
}
console.log(JSON.stringify({ answer: result.answer, calls: result.trace.length, errorIsMoAError: error instanceof MoAError, code: error?.code }));
