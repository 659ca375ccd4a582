/** eval/RESULTS.md from a run's results: tables first, then how it was measured. */
import { formatInterval, wilson } from './stats.js';
import { judgeAgreement, summarize, type GradedOutcome, type JudgeObservation } from './outcomes.js';

export interface EvalResults {
  startedAt: string;
  finishedAt: string;
  wallS: number;
  questionFile: string;
  questionSet: string;
  questions: { id: string; category: string }[];
  modes: { id: string; label: string; measuredAs: string }[];
  models: Record<string, { file: string; label: string; contextWindow: number; noSystemRole: boolean }>;
  settings: { maxTokens: Record<string, number>; temperature: number; aggregator: string; agents: string[]; similarityThreshold: number };
  environment: { browser: string; cpus: number; loadAverage: number[]; engine: string };
  outcomes: GradedOutcome[];
  judge: JudgeObservation[];
  pairwise?: { baseline: string; results: Record<string, { win: number; loss: number; tie: number; invalid: number }> };
  judgeModel?: string;
  /** Questions the run set out to do (--limit); `questions` are those it finished. */
  planned: number;
  /** Why the run stopped before `planned` questions (--time-budget). */
  budgetStop?: string;
  /** The code that ran: its commit, and whether packages/ or eval/ had changes on top. */
  code?: { commit: string; dirty: boolean };
  /** Notes added afterwards (kept by `eval/render.ts`). */
  notes?: string[];
}

const pct = (x: number) => `${Math.round(x * 100)} %`;
const per = (total: number, n: number, digits = 0) => (n ? (total / n).toFixed(digits) : '–');

export function renderResults(r: EvalResults): string {
  const rows = r.modes.map((m) => ({ m, s: summarize(m.id, r.outcomes) }));
  const categories = [...new Set(r.questions.map((q) => q.category))];
  const lines: string[] = [];
  lines.push('# Eval results: answer quality on real models', '');
  lines.push(
    `Measured ${r.startedAt.slice(0, 10)} in one run of \`npm run eval\` (${Math.round(r.wallS / 60)} min): ${r.questions.length} questions of ` +
      `\`${r.questionFile}\` (${r.questionSet}), every mode on the same questions. Agents: ${r.settings.agents.join(' + ')}; aggregator: ` +
      `${r.settings.aggregator} (sharing its engine). Greedy decoding (temperature ${r.settings.temperature}); token caps ` +
      `${Object.entries(r.settings.maxTokens).map(([k, v]) => `${k} ${v}`).join(', ')}.` +
      (r.budgetStop ? ` The run was planned for ${r.planned} questions and stopped as asked: ${r.budgetStop}.` : ''),
    '',
  );
  lines.push('| mode | accuracy [95 % CI] | passed | calls / question | prompt tokens / question (processed) | generated tokens / question | wall s / question |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- |');
  for (const { m, s } of rows) {
    lines.push(
      `| ${m.label}${m.measuredAs ? ` ¹` : ''} | ${formatInterval(s.passed, s.graded)} | ${s.passed}/${s.graded} | ${per(s.calls, s.n, 1)} | ${per(s.promptTokens, s.n)} (${per(s.processedPromptTokens, s.n)}) | ${per(s.completionTokens, s.n)} | ${per(s.wallMs / 1000, s.n, 1)} |`,
    );
  }
  lines.push('');
  const notes = r.modes.filter((m) => m.measuredAs);
  if (notes.length) {
    lines.push(`¹ ${notes.map((m) => `${m.id}: ${m.measuredAs}`).join('; ')}.`, '');
  }
  if (rows.some(({ s }) => s.errors)) {
    lines.push(`Runs that failed (counted as wrong): ${rows.filter(({ s }) => s.errors).map(({ m, s }) => `${m.id} ${s.errors}`).join(', ')}.`, '');
  }

  lines.push('## Accuracy per category', '');
  lines.push(`| mode | ${categories.map((c) => `${c} (n)`).join(' | ')} |`);
  lines.push(`| --- | ${categories.map(() => '---').join(' | ')} |`);
  for (const { m } of rows) {
    const cells = categories.map((c) => {
      const mine = r.outcomes.filter((o) => o.mode === m.id && o.category === c && o.check.pass !== undefined);
      return mine.length ? `${mine.filter((o) => o.check.pass).length}/${mine.length}` : '–';
    });
    lines.push(`| ${m.id} | ${cells.join(' | ')} |`);
  }
  lines.push('');

  if (r.judge.length) {
    const a = judgeAgreement(r.judge, r.settings.similarityThreshold);
    const fired = r.judge.filter((o) => o.stopped).length;
    const forms = new Map<string, number>();
    for (const o of r.judge) forms.set(o.verdict ?? 'none', (forms.get(o.verdict ?? 'none') ?? 0) + 1);
    lines.push('## The judge (early stop after layer 2)', '');
    lines.push(
      `The judge stopped ${fired} of ${r.judge.length} two-layer runs (${pct(fired / r.judge.length)}; 95 % CI ` +
        `${(() => { const w = wilson(fired, r.judge.length); return `${pct(w.low)}–${pct(w.high)}`; })()}). How its replies were read: ` +
        `${[...forms].map(([k, v]) => `${k} ${v}`).join(', ')} (stop / remark: a stop verdict; continue: the fixed form's go-on; answer: no verdict form, taken as the answer).`,
      '',
      `Agreement with the similarity measure (similarity of layer 1's output and layer 2's aggregate ≥ ${r.settings.similarityThreshold}): ` +
        `${Number.isNaN(a.agreement) ? '–' : pct(a.agreement)} of runs.`,
      '',
      '| | similarity ≥ threshold | similarity < threshold |',
      '| --- | --- | --- |',
      `| judge stopped | ${a.both} | ${a.judgeOnly} |`,
      `| judge went on | ${a.similarityOnly} | ${a.neither} |`,
      '',
    );
  }

  const problems = new Map<string, number>();
  const cleaned = new Map<string, number>();
  let totalCalls = 0;
  const seen = new Set<string>();
  for (const o of r.outcomes) {
    for (const c of o.calls) {
      // Calls shared by modes read from one run are counted once.
      const key = `${o.questionId}:${c.id}:${c.role}:${c.agent}:${c.target ?? ''}:${c.layer}:${c.startedAt}`;
      if (seen.has(key)) continue;
      seen.add(key);
      totalCalls++;
      for (const p of (c.roleCheck as { problems?: { kind: string }[] } | undefined)?.problems ?? []) problems.set(`${c.role} ${p.kind}`, (problems.get(`${c.role} ${p.kind}`) ?? 0) + 1);
      for (const what of (c.cleaned as string[] | undefined) ?? []) cleaned.set(`${c.role}: ${what}`, (cleaned.get(`${c.role}: ${what}`) ?? 0) + 1);
    }
  }
  lines.push('## What the models did besides answering', '');
  lines.push(`Over the ${totalCalls} distinct calls of the run:`, '');
  lines.push(`- role checks (role and problem: calls): ${[...problems].sort().map(([k, v]) => `${k} ${v}`).join('; ') || 'none'}`);
  lines.push(`- scaffolding removed (role: what: calls): ${[...cleaned].sort().map(([k, v]) => `${k} ${v}`).join('; ') || 'none'}`, '');

  if (r.pairwise || rows.some(({ s }) => s.judgeScores.length)) {
    lines.push(`## Open-ended questions graded by ${r.judgeModel ?? 'a judge model'}`, '');
    lines.push('| mode | mean score (1–10) | graded | vs best member: win / tie / loss |', '| --- | --- | --- | --- |');
    for (const { m, s } of rows) {
      const mean = s.judgeScores.length ? (s.judgeScores.reduce((a, b) => a + b, 0) / s.judgeScores.length).toFixed(2) : '–';
      const pw = r.pairwise?.results[m.id];
      lines.push(`| ${m.id} | ${mean} | ${s.judgeScores.length} | ${pw ? `${pw.win} / ${pw.tie} / ${pw.loss}${pw.invalid ? ` (${pw.invalid} unreadable)` : ''}` : '–'} |`);
    }
    lines.push('');
  } else {
    lines.push('Open-ended questions (`"check": { "type": "judge" }`) were not graded in this run: no `--judge-url` was given.', '');
  }

  lines.push('## Setup', '');
  for (const [key, m] of Object.entries(r.models)) lines.push(`- \`${key}\`: ${m.label}, file \`models/${m.file}\`, context window ${m.contextWindow}${m.noSystemRole ? ', instructions in the first user turn (noSystemRole)' : ''}.`);
  lines.push(
    `- Engine: ${r.environment.engine}. Browser: ${r.environment.browser}. Machine: ${r.environment.cpus} cores, load average at the start ${r.environment.loadAverage.map((x) => x.toFixed(1)).join(' / ')} (shared with other work: wall times are this machine's, at that load).`,
    `- Accuracy counts questions graded by rule (checkers in eval/lib/checkers.ts); the interval is Wilson's 95 % score interval. Token counts are llama.cpp's own; "processed" excludes prompt tokens reused from llama.cpp's cache.`,
    `- Every distinct call's output is in \`results/latest.json\`.`,
    ...(r.code ? [`- Code: commit \`${r.code.commit}\`${r.code.dirty ? ' with uncommitted changes' : ''}.`] : []),
    ...(r.notes ?? []).map((n) => `- ${n}`),
    '',
  );
  return lines.join('\n');
}
