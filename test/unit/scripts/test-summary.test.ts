import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatSummary, summarize } from '../../../scripts/test-summary.mjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = join(root, 'test/fixtures/test-summary');

/** Runs a real runner over the fixture tests (each has one test per outcome) and returns its JSON report. */
function report(args: string[], name: string): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'summary-'));
  try {
    const out = join(dir, name);
    // The fixtures fail on purpose: the runner's exit status is not the point, its report is.
    spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, SUMMARY_OUT: out, CI: '' }, encoding: 'utf8' });
    return JSON.parse(readFileSync(out, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('scripts/test-summary.mjs over real runner reports', () => {
  // One Playwright and one Vitest run (no browser), shared by the tests below.
  const e2e = report(['node_modules/@playwright/test/cli.js', 'test', '-c', join(fixtures, 'playwright.config.mjs')], 'e2e.json');
  const unit = report(['node_modules/vitest/vitest.mjs', 'run', '--config', join(fixtures, 'vitest.config.mjs'), '--root', fixtures], 'unit.json');

  it('counts a test that passed only on a retry as flaky, not passed, and names it', () => {
    const s = summarize({ e2e, root });
    expect(s).toMatchObject({ passed: 1, failed: 1, skipped: 2, flaky: 1 });
    expect(s.flakyNames).toEqual(['outcomes.pw.ts › fails once, passes on the retry (failed 1× before passing)']);
    expect(s.failedNames).toEqual(['outcomes.pw.ts › fails every time']);
    expect(s.skippedNames).toEqual(['outcomes.pw.ts › is skipped', 'outcomes.pw.ts › a group › is marked fixme']);
  });

  it('counts skipped and todo tests, and a file that failed to load as a failure', () => {
    const s = summarize({ unit, root });
    expect(s).toMatchObject({ passed: 1, failed: 2, skipped: 2, todo: 1, flaky: 0 });
    expect(s.failedNames).toEqual([
      'test/fixtures/test-summary/broken.vt.ts (broken fixture: this file throws on load)',
      'test/fixtures/test-summary/outcomes.vt.ts › outcomes fails',
    ]);
    expect(s.skippedNames).toContain('test/fixtures/test-summary/outcomes.vt.ts › outcomes is still to write (todo)');
  });

  it('ends with one line of counts over both runners, the names above it', () => {
    const lines = formatSummary(summarize({ unit, e2e, exitStatus: 1, root }));
    expect(lines.at(-1)).toBe('2 passed, 3 failed, 4 skipped (1 todo), 1 flaky');
    expect(lines.filter((l) => l.startsWith('flaky: '))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('failed: '))).toHaveLength(3);
  });

  it('never reads 0 failed after a red stage that wrote no report', () => {
    expect(formatSummary(summarize({ exitStatus: 2 })).at(-1)).toBe('0 passed, 1 failed, 0 skipped, 0 flaky');
    expect(formatSummary(summarize({ exitStatus: 0 })).at(-1)).toBe('0 passed, 0 failed, 0 skipped, 0 flaky');
  });

  it('runs as the CI script: the counts are the last line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'summary-'));
    try {
      writeFileSync(join(dir, 'e2e.json'), JSON.stringify(e2e));
      const out = execFileSync(process.execPath, ['scripts/test-summary.mjs', '1', join(dir, 'none.json'), join(dir, 'e2e.json')], { cwd: root, encoding: 'utf8' });
      expect(out.trim().split('\n').at(-1)).toBe('1 passed, 1 failed, 2 skipped, 1 flaky');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
