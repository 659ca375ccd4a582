// Prints the closing line of a CI run — `N passed, N failed, N skipped, N flaky` — summed over the unit (Vitest JSON)
// and e2e (Playwright JSON) reports, preceded by the name of every test that failed, passed only on a retry (flaky)
// or did not run (skipped, todo, fixme). A flaky test is not counted as passed: a retry must never hide a failure.
// A test file that failed to load, a runner error outside any test, or a stage that failed without a report (e.g.
// the typecheck) counts as a failure, so a red run never reads as 0 failed.
// Usage: node scripts/test-summary.mjs <exit status of npm test> [unit.json] [e2e.json]
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Counts and names from the runners' JSON reports (either may be missing).
 * @param {{ unit?: any, e2e?: any, exitStatus?: number, root?: string }} input
 * @returns {{ passed: number, failed: number, skipped: number, todo: number, flaky: number,
 *   failedNames: string[], flakyNames: string[], skippedNames: string[] }}
 */
export function summarize({ unit, e2e, exitStatus = 0, root = process.cwd() }) {
  const s = { passed: 0, failed: 0, skipped: 0, todo: 0, flaky: 0, failedNames: [], flakyNames: [], skippedNames: [] };
  const file = (path) => (path ? relative(root, path) || path : '');

  for (const result of unit?.testResults ?? []) {
    const name = file(result.name);
    const tests = result.assertionResults ?? [];
    for (const t of tests) {
      const label = `${name} › ${t.fullName ?? t.title}`;
      if (t.status === 'passed') s.passed++;
      else if (t.status === 'failed') (s.failed++, s.failedNames.push(label));
      else if (t.status === 'todo') (s.todo++, s.skipped++, s.skippedNames.push(`${label} (todo)`));
      else (s.skipped++, s.skippedNames.push(label));
    }
    // A file that threw while loading has no failed test of its own: count the file.
    if (result.status === 'failed' && !tests.some((t) => t.status === 'failed')) {
      s.failed++;
      s.failedNames.push(`${name} (${firstLine(result.message) || 'the file failed to run'})`);
    }
  }

  const walk = (suite, titles) => {
    const here = suite.title && !suite.file?.endsWith(suite.title) ? [...titles, suite.title] : titles;
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        const label = [file(spec.file ?? suite.file), ...here, spec.title].filter(Boolean).join(' › ');
        if (t.status === 'expected') s.passed++;
        else if (t.status === 'unexpected') (s.failed++, s.failedNames.push(label));
        else if (t.status === 'flaky') (s.flaky++, s.flakyNames.push(`${label} (failed ${failedTries(t)}× before passing)`));
        else (s.skipped++, s.skippedNames.push(label));
      }
    }
    for (const child of suite.suites ?? []) walk(child, here);
  };
  for (const suite of e2e?.suites ?? []) walk(suite, []);
  for (const error of e2e?.errors ?? []) {
    s.failed++;
    s.failedNames.push(`playwright: ${firstLine(error.message) || 'an error outside any test'}`);
  }

  if (exitStatus !== 0 && s.failed === 0) {
    s.failed = 1;
    s.failedNames.push(`a stage failed before reporting any test (exit status ${exitStatus}): see the log above`);
  }
  return s;
}

/** The lines to print: the names, then the counts as the last line. */
export function formatSummary(s) {
  const lines = [
    ...s.failedNames.map((n) => `failed: ${n}`),
    ...s.flakyNames.map((n) => `flaky: ${n}`),
    ...s.skippedNames.map((n) => `skipped: ${n}`),
  ];
  const todo = s.todo ? ` (${s.todo} todo)` : '';
  lines.push(`${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped${todo}, ${s.flaky} flaky`);
  return lines;
}

const firstLine = (text) => String(text ?? '').replace(/\u001b\[[0-9;]*m/g, '').trim().split('\n')[0]?.slice(0, 200) ?? '';
const failedTries = (test) => (test.results ?? []).filter((r) => r.status !== 'passed' && r.status !== 'skipped').length;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const read = (path) => (existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined);
  const [status = '0', unitPath = 'test-results/unit.json', e2ePath = 'test-results/e2e.json'] = process.argv.slice(2);
  const summary = summarize({ unit: read(unitPath), e2e: read(e2ePath), exitStatus: Number(status) });
  for (const line of formatSummary(summary)) console.log(line);
}
