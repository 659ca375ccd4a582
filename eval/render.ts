// Rewrites eval/RESULTS.md from eval/results/latest.json (after a change to the report's format, or to add notes):
// `node eval/launch.mjs eval/render.ts [results.json] [RESULTS.md]`. Measures nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderResults, type EvalResults } from './lib/report.js';

export async function main(args: string[], env: { root: string }): Promise<number> {
  const from = resolve(env.root, args[0] ?? 'eval/results/latest.json');
  const to = resolve(env.root, args[1] ?? 'eval/RESULTS.md');
  writeFileSync(to, renderResults(JSON.parse(readFileSync(from, 'utf8')) as EvalResults));
  console.log(`wrote ${to}`);
  return 0;
}
