/** Command-line options of `npm run eval`, parsed and checked before any browser starts. */

export interface TokenLimits {
  propose: number;
  critique: number;
  refine: number;
  aggregate: number;
  residual: number;
}

export interface EvalArgs {
  questions: string;
  limit?: number;
  /** Leave out questions only a judge model can grade (open-ended) before sampling. */
  checkableOnly?: boolean;
  /** Mode ids to run; undefined = all. */
  modes?: string[];
  maxTokens: TokenLimits;
  /** Where RESULTS.md and results/latest.json go. */
  out: string;
  judge?: { url: string; model: string; key?: string };
  /** Start no new question after this many minutes; the questions done so far are the sample. */
  timeBudgetMin?: number;
  help: boolean;
}

export class ArgsError extends Error {
  readonly userFacing = true;
  constructor(message: string) {
    super(`${message}\nRun \`npm run eval -- --help\` for the options.`);
    this.name = 'ArgsError';
  }
}

export const DEFAULT_QUESTIONS = 'eval/questions.json';
/** Short answers are what the questions ask for; critiques shorter still. Small caps keep a run within budget. */
export const DEFAULT_MAX_TOKENS: TokenLimits = { propose: 64, critique: 48, refine: 64, aggregate: 64, residual: 64 };

export const USAGE = `npm run eval -- [options]

Runs every mode (each member alone, classic MoA, Attention-MoA full/ring, 1/2 layers) on the same questions with the
real models in Chromium, and writes eval/RESULTS.md and eval/results/latest.json.

  --questions <file>    question file (default ${DEFAULT_QUESTIONS}; format: eval/README.md)
  --limit <N>           the first N questions, categories interleaved (default: all)
  --checkable-only      leave out the questions only a judge can grade (open-ended), before --limit
  --modes <a,b,…>       modes to run (default: all): single-<model>, classic-moa, amoa-full-1, amoa-full-2, amoa-ring-1, amoa-ring-2
  --max-tokens <N | role=N,…>
                        token caps: one number for answers (critiques get ¾ of it), or per role, e.g.
                        propose=64,critique=48,refine=64,aggregate=64,residual=64 (default: ${Object.entries(DEFAULT_MAX_TOKENS).map(([k, v]) => `${k}=${v}`).join(',')})
  --out <dir>           where RESULTS.md and results/latest.json go (default eval)
  --time-budget <min>   start no new question after this many minutes (every mode still runs on each question
                        started); the report says how many were reached
  --judge-url <url>     an OpenAI-compatible endpoint (…/v1) to grade open-ended questions with
  --judge-model <name>  the judge's model name (needed with --judge-url)
  --judge-key <key>     its API key, if it needs one (or EVAL_JUDGE_KEY)
  --help                this text`;

const ROLES = ['propose', 'critique', 'refine', 'aggregate', 'residual'] as const;

function positiveInt(flag: string, value: string | undefined): number {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) < 1) throw new ArgsError(`${flag} needs a whole number ≥ 1, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
  return Number(value);
}

export function parseMaxTokens(value: string | undefined): TokenLimits {
  if (value === undefined) throw new ArgsError('--max-tokens needs a value: a number, or role=N pairs such as critique=48,propose=64');
  if (/^\d+$/.test(value)) {
    const n = positiveInt('--max-tokens', value);
    return { propose: n, critique: Math.max(1, Math.round(n * 0.75)), refine: n, aggregate: n, residual: n };
  }
  const limits = { ...DEFAULT_MAX_TOKENS };
  for (const pair of value.split(',')) {
    const [role, n] = pair.split('=');
    if (!(ROLES as readonly string[]).includes(role ?? '')) throw new ArgsError(`--max-tokens: unknown role ${JSON.stringify(role)} (roles: ${ROLES.join(', ')})`);
    limits[role as keyof TokenLimits] = positiveInt(`--max-tokens ${role}=`, n);
  }
  return limits;
}

/** Parses argv (without node and script). `knownModes` checks --modes; `env` gives EVAL_JUDGE_KEY. */
export function parseArgs(argv: string[], knownModes: string[], env: Record<string, string | undefined> = {}): EvalArgs {
  const args: EvalArgs = { questions: DEFAULT_QUESTIONS, maxTokens: { ...DEFAULT_MAX_TOKENS }, out: 'eval', help: false };
  let judgeUrl: string | undefined;
  let judgeModel: string | undefined;
  let judgeKey: string | undefined = env.EVAL_JUDGE_KEY;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const [flag, inline] = raw.startsWith('--') && raw.includes('=') ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)] : [raw, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new ArgsError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--help':
      case '-h':
        args.help = true;
        break;
      case '--questions':
        args.questions = value();
        break;
      case '--limit':
        args.limit = positiveInt('--limit', value());
        break;
      case '--checkable-only':
        if (inline !== undefined) throw new ArgsError('--checkable-only takes no value');
        args.checkableOnly = true;
        break;
      case '--modes': {
        const modes = value().split(',').map((m) => m.trim()).filter(Boolean);
        const unknown = modes.filter((m) => !knownModes.includes(m));
        if (unknown.length) throw new ArgsError(`--modes: unknown mode${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${knownModes.join(', ')})`);
        if (!modes.length) throw new ArgsError('--modes needs at least one mode');
        args.modes = [...new Set(modes)];
        break;
      }
      case '--max-tokens':
        args.maxTokens = parseMaxTokens(value());
        break;
      case '--out':
        args.out = value();
        break;
      case '--time-budget': {
        const v = value();
        if (!/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0) throw new ArgsError(`--time-budget needs minutes > 0, got ${JSON.stringify(v)}`);
        args.timeBudgetMin = Number(v);
        break;
      }
      case '--judge-url':
        judgeUrl = value();
        break;
      case '--judge-model':
        judgeModel = value();
        break;
      case '--judge-key':
        judgeKey = value();
        break;
      default:
        throw new ArgsError(`unknown option ${JSON.stringify(raw)}`);
    }
  }
  if (judgeUrl !== undefined || judgeModel !== undefined) {
    if (!judgeUrl || !judgeModel) throw new ArgsError('a judge needs both --judge-url and --judge-model');
    let url: URL;
    try {
      url = new URL(judgeUrl);
    } catch {
      throw new ArgsError(`--judge-url is not a URL: ${JSON.stringify(judgeUrl)} (e.g. http://127.0.0.1:8080/v1)`);
    }
    if (!['http:', 'https:'].includes(url.protocol)) throw new ArgsError(`--judge-url must be http(s), got ${url.protocol}`);
    args.judge = { url: judgeUrl.replace(/\/+$/, ''), model: judgeModel, ...(judgeKey ? { key: judgeKey } : {}) };
  }
  return args;
}
