// Rewrites bench/RESULTS.md from bench/results/latest.json (after suites measured in another work tree were merged
// into it by id, or a change to the report's format): `node eval/launch.mjs bench/render.ts`. Measures nothing.
import { RESULTS_MD, writeResultsMarkdown } from './lib/results.js';

export async function main(): Promise<number> {
  writeResultsMarkdown();
  console.log(`wrote ${RESULTS_MD}`);
  return 0;
}
