import { describe, expect, it } from 'vitest';
import { ownModelFromUrl } from '../../../../demo/src/catalog/own-models.js';

describe('a GGUF model added by URL', () => {
  it('takes a direct .gguf link and names the model from the file', () => {
    const m = ownModelFromUrl(' https://huggingface.co/u/r/resolve/main/Qwen2.5-0.5B-Instruct-Q4_K_M.gguf ');
    expect(m).toMatchObject({ name: 'Qwen2.5-0.5B-Instruct-Q4_K_M', source: 'https://huggingface.co/u/r/resolve/main/Qwen2.5-0.5B-Instruct-Q4_K_M.gguf' });
    expect(m.id).toMatch(/^own:\d+$/);
  });
  it('refuses what cannot be a GGUF download, saying what to paste instead', () => {
    expect(() => ownModelFromUrl('model.gguf')).toThrow(/is not a URL\. Paste the address of a \.gguf file/);
    expect(() => ownModelFromUrl('ftp://x/model.gguf')).toThrow(/Only http\(s\) URLs/);
    expect(() => ownModelFromUrl('https://huggingface.co/u/r/blob/main/README.md')).toThrow(/does not end in \.gguf.*resolve\/main/);
  });
});
