/**
 * Benchmark results: each suite records rows into bench/results/latest.json (merged by suite id), and
 * `writeResultsMarkdown()` renders bench/RESULTS.md from it. Figures are ratios measured in one run.
 */
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { cpus, totalmem, platform, release, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const benchDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const LATEST_JSON = join(benchDir, 'results', 'latest.json');
export const RESULTS_MD = join(benchDir, 'RESULTS.md');

export interface ResultRow {
  /** What was measured, e.g. "n=3, L=2, full". */
  case: string;
  /** Column name → value (numbers, or preformatted strings such as "1.01 (1.00–1.02, n=5)"). */
  values: Record<string, string | number | boolean>;
}

export interface SuiteResult {
  id: string;
  title: string;
  /** One line: what the figure means. */
  explanation: string;
  target?: string;
  /** true/false when a target exists; undefined otherwise. */
  met?: boolean;
  /** The headline figure in a few words, for the summary table (e.g. "worst median 1.02 (n=5, L=3, full)"). */
  headline?: string;
  rows: ResultRow[];
  notes?: string[];
  measuredAt: string;
  durationS: number;
  /** The machine's 5-minute load average when the suite ended (filled in by recordSuite): how busy the shared machine was. */
  loadAverage5m?: number;
}

interface LatestFile {
  machine: Record<string, string | number>;
  suites: SuiteResult[];
}

export function describeMachine(browserVersion?: string): Record<string, string | number> {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    ...(browserVersion ? { browser: browserVersion } : {}),
    gpu: 'none (WebGPU = SwiftShader on the CPU in headless Chromium)',
  };
}

function readLatest(): LatestFile {
  if (!existsSync(LATEST_JSON)) return { machine: describeMachine(), suites: [] };
  return JSON.parse(readFileSync(LATEST_JSON, 'utf8')) as LatestFile;
}

export function recordSuite(result: SuiteResult, browserVersion?: string): void {
  const latest = readLatest();
  latest.machine = describeMachine(browserVersion ?? (latest.machine.browser as string | undefined));
  latest.suites = latest.suites.filter((s) => s.id !== result.id);
  latest.suites.push({ ...result, loadAverage5m: result.loadAverage5m ?? Math.round(loadavg()[1]! * 100) / 100 });
  latest.suites.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  mkdirSync(dirname(LATEST_JSON), { recursive: true });
  writeFileSync(LATEST_JSON, JSON.stringify(latest, null, 2) + '\n');
  writeResultsMarkdown();
}

function table(rows: ResultRow[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r.values)))];
  const head = `| case | ${columns.join(' | ')} |\n|---|${columns.map(() => '---').join('|')}|`;
  const body = rows.map((r) => `| ${r.case} | ${columns.map((c) => String(r.values[c] ?? '')).join(' | ')} |`).join('\n');
  return `${head}\n${body}`;
}

export function writeResultsMarkdown(): void {
  const latest = readLatest();
  const machine = Object.entries(latest.machine).map(([k, v]) => `${k}: ${v}`).join(' · ');
  const parts = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (bench/results/latest.json has the same data). Every figure is a ratio of two things',
    'measured side by side in the same run — median of ≥ 5 repetitions with min–max — never an absolute time compared',
    'across runs: the machine is shared and noisy (other jobs run on it; each suite notes the load it ran under).',
    '',
    `Machine: ${machine}`,
    '',
    '**Not measurable here:** real models\' tokens/s on a GPU (no GPU on this machine). Run `npm run smoke:webgpu` on a',
    'machine with a GPU and internet for that. Suites 1–7 run scripted engines (deterministic test doubles with a fixed',
    'per-token delay) or synthetic streams; suites 8–14 run real llama.cpp (WASM, on the CPU) on tiny generated GGUF',
    'models and on SmolLM2-135M-Instruct; all against production builds (packages/*/dist, dist/bench).',
    '',
  ];
  const summary = latest.suites.filter((s) => s.headline !== undefined || s.target !== undefined);
  if (summary.length) {
    parts.push('| suite | measured | target | |', '|---|---|---|---|');
    for (const s of summary) {
      const verdict = s.met === undefined ? '' : s.met ? 'met' : '**MISSED**';
      parts.push(`| ${s.title} | ${s.headline ?? ''} | ${s.target ?? '—'} | ${verdict} |`);
    }
    parts.push('');
  }
  for (const s of latest.suites) {
    parts.push(`## ${s.title}`, '', s.explanation, '');
    if (s.target) parts.push(`Target: ${s.target} — **${s.met === undefined ? 'n/a' : s.met ? 'met' : 'MISSED'}**`, '');
    parts.push(table(s.rows), '');
    for (const note of s.notes ?? []) parts.push(`- ${note}`);
    if (s.notes?.length) parts.push('');
    const load = s.loadAverage5m === undefined ? '' : `, machine load (5-min average) ${s.loadAverage5m.toFixed(1)} on ${latest.machine.cores} cores`;
    parts.push(`<sub>measured ${s.measuredAt}, ${s.durationS.toFixed(1)} s${load}</sub>`, '');
  }
  writeFileSync(RESULTS_MD, parts.join('\n'));
}
