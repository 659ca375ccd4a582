import { describe, expect, it } from 'vitest';
import { importBackend, libraryFileError } from '../../../../packages/core/src/engine/module-load.js';
import { AttentionMoAError, BackendUnavailableError, GgufFormatError, MoAError, RuntimeError, WllamaEngineError, isMoAError } from '@attention-moa/core';

describe('a file of the library that did not load', () => {
  it("is LIBRARY_FILE_MISSING with the URL from Chromium's and Firefox's messages", () => {
    const url = 'https://app.example/assets/scripted-hosted-Bh4wLzGL.js';
    for (const message of [`Failed to fetch dynamically imported module: ${url}`, `error loading dynamically imported module: ${url}`]) {
      const error = libraryFileError(new TypeError(message), 'the scripted engine');
      expect(error).toBeInstanceOf(RuntimeError);
      expect(error!.code).toBe('LIBRARY_FILE_MISSING');
      expect(error!.details.url).toBe(url);
      expect(error!.message).toContain(url);
      expect(error!.message).toContain('the scripted engine');
      expect(error!.message).not.toMatch(/internet|connection/i);
    }
  });

  it("is still named without a URL (Safari's message has none)", () => {
    const error = libraryFileError(new TypeError('Importing a module script failed.'), 'the wllama engine');
    expect(error?.code).toBe('LIBRARY_FILE_MISSING');
    expect(error?.details.url).toBeUndefined();
  });

  it('leaves other errors alone', () => {
    expect(libraryFileError(new Error('boom'), 'x')).toBeUndefined();
  });
});

describe('an optional backend package', () => {
  it("missing in a Vite build (its stub throws) is BACKEND_NOT_INSTALLED with the npm install that fixes it", async () => {
    const stub = () => Promise.reject(new Error('Could not resolve "@mlc-ai/web-llm" imported by "@attention-moa/core". Is it installed?'));
    const error = await importBackend('@mlc-ai/web-llm', stub, () => true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).code).toBe('BACKEND_NOT_INSTALLED');
    expect((error as RuntimeError).details.package).toBe('@mlc-ai/web-llm');
    expect((error as Error).message).toContain('npm install @mlc-ai/web-llm');
  });

  it("aliased to false in webpack (an empty module) is BACKEND_NOT_INSTALLED too", async () => {
    const error = await importBackend('@wllama/wllama', async () => ({}) as { Wllama?: unknown }, (m) => typeof m.Wllama === 'function').catch((e: unknown) => e);
    expect((error as RuntimeError).code).toBe('BACKEND_NOT_INSTALLED');
    expect((error as Error).message).toContain('npm install @wllama/wllama');
  });

  it('installed, is returned as it is', async () => {
    const module = { Wllama: class {} };
    await expect(importBackend('@wllama/wllama', async () => module, (m) => typeof m.Wllama === 'function')).resolves.toBe(module);
  });
});

describe('MoAError: one base class, codes unchanged', () => {
  it('is the root of the protocol, runtime, WASM engine and backend-choice errors', () => {
    const errors: MoAError[] = [
      new AttentionMoAError('CONFIG_INVALID', 'x'),
      new RuntimeError('NO_WEBGPU', 'x'),
      new WllamaEngineError('BAD_GGUF', 'x'),
      new GgufFormatError('x'),
      new BackendUnavailableError('x'),
    ];
    expect(errors.every((e) => e instanceof MoAError && e instanceof Error && isMoAError(e))).toBe(true);
    expect(errors.map((e) => e.code)).toEqual(['CONFIG_INVALID', 'NO_WEBGPU', 'BAD_GGUF', 'GGUF_FORMAT', 'BACKEND_UNAVAILABLE']);
    expect(errors.map((e) => e.name)).toEqual(['AttentionMoAError', 'RuntimeError', 'WllamaEngineError', 'GgufFormatError', 'BackendUnavailableError']);
    expect(isMoAError(new Error('x'))).toBe(false);
  });
});
