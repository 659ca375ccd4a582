#!/usr/bin/env node
// `npm run soak`: the long-use soak in full (200 runs of 3 agents × 2 layers in one page; `npm test` runs 30).
// `node scripts/soak.mjs [runs]`; E2E_PORT picks the test server's port as for `npm run test:e2e`.
import { spawnSync } from 'node:child_process';

const runs = process.argv[2] ?? process.env.SOAK_RUNS ?? '200';
if (!/^\d+$/.test(runs) || Number(runs) < 10) {
  console.error(`soak: runs must be a whole number ≥ 10, got ${JSON.stringify(runs)}`);
  process.exit(2);
}
const result = spawnSync(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', 'test/e2e/reliability-soak.spec.ts', '--reporter=list'], {
  stdio: 'inherit',
  env: { ...process.env, SOAK_RUNS: runs },
});
process.exit(result.status ?? 1);
