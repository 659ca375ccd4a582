import { describe, expect, it } from 'vitest';
import { createEnsemble, RuntimeError } from '@attention-moa/core';

// createEnsemble checks its arguments before any worker starts: each bad input names the problem and the fix.
describe('createEnsemble: bad input', () => {
  const code = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof RuntimeError ? `${e.code}: ${e.message}` : String(e)));

  it('needs at least one model', async () => {
    expect(await code(createEnsemble([]))).toMatch(/^BAD_SPEC: createEnsemble\(models\): give at least one model id/);
  });

  it('needs distinct agent names', async () => {
    expect(await code(createEnsemble(['https://models.example/a.gguf', { name: 'a.gguf', spec: { kind: 'scripted' } }]))).toMatch(
      /^BAD_SPEC: createEnsemble: two models have the same name .*give each \{ name, spec \} a different name/,
    );
  });

  it('needs an aggregator that is one of the models', async () => {
    expect(await code(createEnsemble(['a.gguf', 'b.gguf'], { aggregator: 'c' }))).toMatch(/^BAD_SPEC: createEnsemble: aggregator "c" is none of the models: give an index below 2 or one of a\.gguf, b\.gguf/);
    expect(await code(createEnsemble(['a.gguf'], { aggregator: 1 }))).toMatch(/aggregator 1 is none of the models/);
  });
});
