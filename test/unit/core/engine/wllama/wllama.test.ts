import { describe, expect, it } from 'vitest';
import { createWllamaEngine } from '../../../../../packages/core/src/engine/wllama/wllama.js';

const context = { onProgress() {}, signal: new AbortController().signal };
const fail = (spec: unknown) => createWllamaEngine(spec as never, context).then(() => undefined, (e: { name: string; code: string; message: string }) => e);

describe('createWllamaEngine before anything is loaded', () => {
  it.each([
    [null, /spec must be an object/],
    [{}, /spec\.model must be a GGUF URL or a Blob\/File/],
    [{ model: '   ' }, /spec\.model must be a GGUF URL/],
    [{ model: new Blob([]) }, /spec\.model is an empty file/],
    [{ model: '/m.gguf', contextWindow: 0 }, /spec\.contextWindow must be a whole number from 1/],
    [{ model: '/m.gguf', threads: 2.5 }, /spec\.threads must be a whole number from 1 to 64/],
    [{ model: '/m.gguf', batchSize: -1 }, /spec\.batchSize/],
    [{ model: '/m.gguf', seed: -1 }, /spec\.seed must be an integer/],
    [{ model: '/m.gguf', cache: 'yes' }, /spec\.cache must be true or false/],
    [{ model: '/m.gguf', chatTemplate: ' ' }, /spec\.chatTemplate must be a non-empty string: a Jinja chat template/],
  ])('rejects %j with BAD_SPEC naming the field', async (spec, message) => {
    expect(await fail(spec)).toMatchObject({ name: 'WllamaEngineError', code: 'BAD_SPEC', message: expect.stringMatching(message) });
  });

  it('refuses a runtime without WebAssembly memory64 + JSPI instead of fetching a compat build from a CDN', async () => {
    // Node 20 has neither (Chromium 137+ has both): the error says what is missing and which browsers work.
    const error = await fail({ model: 'https://example.invalid/m.gguf' });
    expect(error).toMatchObject({ name: 'WllamaEngineError', code: 'UNSUPPORTED_BROWSER' });
    expect((error as Error).message).toMatch(/needs WebAssembly .*(memory64|JSPI).*Chromium-based browser/);
  });
});
