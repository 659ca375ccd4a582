import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('README.md: Use it like the OpenAI API', () => {
  afterEach(() => vi.restoreAllMocks());

  it('the example runs as written and prints what its comments say', async () => {
    const readme = readFileSync(`${root}README.md`, 'utf8');
    const block = /<!-- openai-example:start -->\s*```ts\n([\s\S]*?)```\s*<!-- openai-example:end -->/.exec(readme);
    expect(block, 'the README marks its runnable example').not.toBeNull();
    const dir = `${root}test/fixtures/generated`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/readme-openai-example.ts`, block![1]!);
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    await import(/* @vite-ignore */ `${dir}/readme-openai-example.ts`);
    // Each printed line is the one its comment announces.
    const announced = [...block![1]!.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]);
    expect(lines).toEqual(announced);
  }, 60_000);
});
