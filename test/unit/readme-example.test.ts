import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('packages/core/README.md', () => {
  afterEach(() => vi.restoreAllMocks());

  it('the quick-start example runs as written and prints what its comments say', async () => {
    const readme = readFileSync(`${root}packages/core/README.md`, 'utf8');
    const block = /<!-- example:start -->\s*```ts\n([\s\S]*?)```\s*<!-- example:end -->/.exec(readme);
    expect(block, 'the README marks its runnable example').not.toBeNull();
    const dir = `${root}test/fixtures/generated`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/readme-example.ts`, block![1]!);
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    await import(/* @vite-ignore */ `${dir}/readme-example.ts`);
    expect(lines[0]).toBe('expected calls 50');
    expect(lines).toContain('start critique 1 qwen llama');
    expect(lines).toContain('early stop at layer 2 - the judge answered the stop phrase: layer 2 did not improve on layer 1');
    expect(lines).toContain('calls made 33 layers run 2');
    expect(lines.at(-1)).toBe('answer Two plus two is four: 2 + 2 = 4.');
  });
});
