// `npm run eval`: every mode on the same questions with the real models, graded, written to eval/RESULTS.md and
// eval/results/latest.json. Run through eval/launch.mjs (the project's Vite compiles this file and serves the page).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve, relative } from 'node:path';
import { USAGE, parseArgs, type EvalArgs } from './lib/args.js';
import { openEvalBrowser } from './lib/browser.js';
import { runCheck } from './lib/checkers.js';
import { askJudge, combineSwapped, pairwisePrompt, parsePairwise, parseSingleGrade, singleGradePrompt } from './lib/judge.js';
import { allModes, plannedRuns, type Ensemble } from './lib/modes.js';
import { judgeObservation, readLayers, summarize, type GradedOutcome, type JudgeObservation } from './lib/outcomes.js';
import { isCheckable, parseQuestionFile, sampleQuestions, type Question } from './lib/questions.js';
import { REAL_MODELS, checkModelFiles } from './lib/real-models.js';
import { renderResults, type EvalResults } from './lib/report.js';

const ENSEMBLE: Ensemble = { agents: ['smollm2', 'gemma'], aggregator: 'smollm2' };
const TEMPERATURE = 0;
const SIMILARITY_THRESHOLD = 0.9;

function measuredAs(mode: string, plans: ReturnType<typeof plannedRuns>): string {
  for (const p of plans) {
    const read = p.reads.find((r) => r.mode === mode);
    if (!read || p.run.id === mode) continue;
    const prefix = read.layers < p.run.run.layers ? `the first ${read.layers === 1 ? 'layer' : `${read.layers} layers`} of the ${p.run.id} runs` : `the ${p.run.id} runs`;
    return read.sameAs ? `same protocol as ${read.sameAs} with ${ENSEMBLE.agents.length} agents (identical critique pairs), read from ${prefix}` : `read from ${prefix} (same prompts and outputs: greedy decoding)`;
  }
  return '';
}

export async function main(argv: string[], env: { baseUrl: string; root: string }): Promise<number> {
  const modes = allModes(ENSEMBLE);
  const args: EvalArgs = parseArgs(argv, modes.map((m) => m.id), process.env);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const file = resolve(env.root, args.questions);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw Object.assign(new Error(`cannot read --questions ${args.questions}: ${(error as Error).message}`), { userFacing: true });
  }
  const set = parseQuestionFile(text, args.questions);
  const questions = sampleQuestions(args.checkableOnly ? set.questions.filter(isCheckable) : set.questions, args.limit);
  const ungraded = args.judge ? 0 : questions.filter((q) => !isCheckable(q)).length;
  // Each costs as much as any other question but adds no grade: say so before the hours start.
  if (ungraded) console.log(`eval: ${ungraded} open-ended question${ungraded > 1 ? 's' : ''} will run without a grade (no --judge-url); --checkable-only leaves them out`);
  const chosen = modes.filter((m) => !args.modes || args.modes.includes(m.id));
  const plans = plannedRuns(chosen);
  checkModelFiles(env.root);

  const outDir = resolve(env.root, args.out);
  mkdirSync(join(outDir, 'results'), { recursive: true });
  const startedAt = new Date();
  const code = codeVersion(env.root);
  const load = loadavg();
  console.log(`eval: ${questions.length} questions × ${chosen.length} modes (${plans.length} protocol runs per question: ${plans.map((p) => p.run.id).join(', ')})`);
  const browser = await openEvalBrowser(env.baseUrl, REAL_MODELS, { progress: !!process.env.EVAL_PROGRESS });
  console.log(`models loaded in ${(browser.setupInfo.loadMs / 1000).toFixed(1)} s`);

  const outcomes: GradedOutcome[] = [];
  let budgetStop: string | undefined;
  const judge: JudgeObservation[] = [];
  const results = (): EvalResults => ({
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    wallS: (Date.now() - startedAt.getTime()) / 1000,
    questionFile: file.startsWith(env.root) ? relative(env.root, file) : file,
    questionSet: set.name,
    questions: questions.filter((q) => outcomes.some((o) => o.questionId === q.id)).map((q) => ({ id: q.id, category: q.category })),
    modes: chosen.map((m) => ({ id: m.id, label: m.label, measuredAs: measuredAs(m.id, plans) })),
    models: Object.fromEntries(REAL_MODELS.map((m) => [m.key, { file: m.file, label: m.label, contextWindow: m.contextWindow, noSystemRole: m.noSystemRole }])),
    settings: { maxTokens: { ...args.maxTokens }, temperature: TEMPERATURE, aggregator: ENSEMBLE.aggregator, agents: ENSEMBLE.agents, similarityThreshold: SIMILARITY_THRESHOLD },
    environment: { browser: browser.version, cpus: cpus().length, loadAverage: load, engine: 'wllama 3.13 (llama.cpp WASM), one agent worker per model, 1 thread each, cache off' },
    outcomes,
    judge,
    planned: questions.length,
    ...(code ? { code } : {}),
    ...(budgetStop ? { budgetStop } : {}),
  });
  const write = (r: EvalResults) => {
    writeFileSync(join(outDir, 'results', 'latest.json'), JSON.stringify(r, null, 1) + '\n');
    writeFileSync(join(outDir, 'RESULTS.md'), renderResults(r));
  };

  try {
    for (const [qi, q] of questions.entries()) {
      if (args.timeBudgetMin !== undefined && Date.now() - startedAt.getTime() > args.timeBudgetMin * 60_000) {
        budgetStop = `the ${args.timeBudgetMin}-minute budget was used up after ${qi} of ${questions.length} questions`;
        console.log(`stopping: ${budgetStop}`);
        break;
      }
      for (const plan of plans) {
        const result = await browser.run({ question: q.question, ...plan.run.run, maxTokens: args.maxTokens, temperature: TEMPERATURE });
        for (const read of plan.reads) {
          const outcome = readLayers(result, read.layers, plan.run.run.layers);
          // Prompts are left out of the results file (the code rebuilds them); outputs, verdicts and checks stay.
          const calls = outcome.calls.map(({ messages: _messages, ...call }) => ({ ...call, messages: [] }));
          outcomes.push({ ...outcome, calls, mode: read.mode, questionId: q.id, category: q.category, check: runCheck(q.check, outcome.answer) });
        }
        if (plan.run.run.layers >= 2 && plan.run.run.earlyStop === 'judge') {
          const o = judgeObservation(q.id, plan.run.id, result);
          if (o) judge.push(o);
        }
      }
      const line = chosen.map((m) => {
        const o = outcomes.find((x) => x.mode === m.id && x.questionId === q.id)!;
        return `${m.id} ${o.check.pass === undefined ? '·' : o.check.pass ? '✓' : '✗'}`;
      });
      console.log(`[${qi + 1}/${questions.length}] ${q.id} (${Math.round((Date.now() - startedAt.getTime()) / 1000)} s): ${line.join('  ')}`);
      write(results());
    }
  } finally {
    await browser.close();
  }

  const final = results();
  if (args.judge) await gradeWithJudge(final, questions, args.judge);
  write(final);
  for (const m of chosen) {
    const s = summarize(m.id, outcomes);
    console.log(`${m.id.padEnd(14)} ${s.passed}/${s.graded} correct, ${(s.calls / s.n).toFixed(1)} calls, ${(s.wallMs / s.n / 1000).toFixed(1)} s per question`);
  }
  console.log(`wrote ${relative(env.root, join(outDir, 'RESULTS.md'))} and ${relative(env.root, join(outDir, 'results', 'latest.json'))}`);
  return 0;
}

/** The commit the run's code came from, and whether the work tree had changes on top. */
function codeVersion(root: string): { commit: string; dirty: boolean } | undefined {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages', 'eval/lib', 'eval/page'], { cwd: root, encoding: 'utf8' }).trim() !== '';
    return { commit, dirty };
  } catch {
    return undefined; // not a git checkout
  }
}

/** Open-ended questions: each mode's answer rated 1–10; each mode against the best member, both orders. */
async function gradeWithJudge(r: EvalResults, questions: Question[], config: NonNullable<EvalArgs['judge']>): Promise<void> {
  const open = questions.filter((q) => q.check.type === 'judge');
  r.judgeModel = config.model;
  if (!open.length) return;
  for (const o of r.outcomes.filter((x) => open.some((q) => q.id === x.questionId))) {
    const q = open.find((x) => x.id === o.questionId)!;
    const score = parseSingleGrade(await askJudge(config, singleGradePrompt(q.question, o.answer, q.reference)));
    if (score !== undefined) o.judgeScore = score;
  }
  const members = r.modes.filter((m) => m.id.startsWith('single-')).map((m) => m.id);
  if (!members.length) return;
  const mean = (mode: string) => {
    const s = summarize(mode, r.outcomes).judgeScores;
    return s.length ? s.reduce((a, b) => a + b, 0) / s.length : -1;
  };
  const baseline = members.reduce((best, m) => (mean(m) > mean(best) ? m : best));
  r.pairwise = { baseline, results: {} };
  for (const mode of r.modes.map((m) => m.id).filter((m) => m !== baseline)) {
    const tally = { win: 0, loss: 0, tie: 0, invalid: 0 };
    for (const q of open) {
      const mine = r.outcomes.find((o) => o.mode === mode && o.questionId === q.id);
      const theirs = r.outcomes.find((o) => o.mode === baseline && o.questionId === q.id);
      if (!mine || !theirs) continue;
      const first = parsePairwise(await askJudge(config, pairwisePrompt(q.question, mine.answer, theirs.answer)));
      const second = parsePairwise(await askJudge(config, pairwisePrompt(q.question, theirs.answer, mine.answer)));
      tally[combineSwapped(first, second)]++;
    }
    r.pairwise.results[mode] = tally;
  }
}
