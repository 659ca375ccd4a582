// Drives <attention-moa> from the package sources (Vite dev server) with scripted engines (the real protocol),
// and records its events.
import '@attention-moa/element';
import { EVENT_NAMES } from '@attention-moa/element';
import { AttentionMoA, ScriptedEngine, type ChatEngine, type ScriptRule } from '@attention-moa/core';

export interface PageSetup {
  agents?: string[];
  layers?: number;
  /** The residual judge answers the stop phrase at layer 2. */
  earlyStop?: boolean;
  tokenDelayMs?: number;
  /** Rules checked before the defaults (e.g. an attack payload for propose). */
  rules?: ScriptRule[];
  /** 'agents' (default): set the agents + aggregator properties; 'moa': hand the element a prepared AttentionMoA. */
  via?: 'agents' | 'moa';
  /** The aggregator's context window (long-answer tests). */
  aggregatorContextWindow?: number;
  /** Deliver tokens in bursts of this many per task, as a worker's batched messages do (default: the engine's own pacing). */
  burst?: number;
}

/** Yields to the event loop with a macrotask (no timer clamping), like a message from a worker. */
const macrotask = () =>
  new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(0);
  });

/** The scripted engine's stream, delivered `every` chunks per task. */
function bursty(engine: ScriptedEngine, every: number): ChatEngine {
  return {
    chat: {
      completions: {
        async create(params, options) {
          const stream = await engine.chat.completions.create(params, options);
          return (async function* () {
            let n = 0;
            for await (const chunk of stream) {
              yield chunk;
              if (++n % every === 0) await macrotask();
            }
          })();
        },
      },
    },
    countTokens: (text) => engine.countTokens(text),
  };
}

const el = document.querySelector('attention-moa')!;
const events: { type: string; detail: unknown; bubbles: boolean; composed: boolean; target: string }[] = [];
// Listening on the document proves the events bubble out of the element.
for (const name of EVENT_NAMES) {
  document.addEventListener(name, (e) => {
    const detail = (e as CustomEvent).detail;
    events.push({
      type: name,
      // Answer tokens carry the whole answer so far: keep the reference (copying it per token would be quadratic).
      detail: name === 'moa-answer-token'
        ? { ...detail }
        : JSON.parse(JSON.stringify(detail, (_k, v) => (v instanceof Error ? { name: v.name, message: v.message, code: (v as { code?: string }).code } : v))),
      bubbles: e.bubbles,
      composed: e.composed,
      target: (e.target as Element).localName,
    });
  });
}

const DEFAULT_RULES: ScriptRule[] = [
  { when: { role: 'propose' }, reply: '**{agent}** proposes: Paris is the capital of France.\n\n- It is on the Seine\n- Population about 2.1 million' },
  { when: { role: 'critique', agent: 'Ada', target: 'Ben' }, reply: 'Ben should cite the population source and say which year the estimate is from, since figures differ.' },
  { when: { role: 'critique' }, reply: '{agent} on {target}: clear, add one fact.' },
  { when: { role: 'refine' }, reply: '{agent} refined: Paris, on the Seine, is the capital of France (population about 2.1 million, 2023).' },
  { when: { role: 'aggregate' }, reply: '## Answer\n\n**Paris** is the capital of France.\n\n| Fact | Value |\n|---|---|\n| River | Seine |\n| Population | ~2.1 million |\n\n```js\nconsole.log("Paris");\n```' },
];

function setup(options: PageSetup = {}) {
  const names = options.agents ?? ['Ada', 'Ben', 'Cy'];
  const rules: ScriptRule[] = [
    ...(options.rules ?? []),
    { when: { role: 'residual' }, reply: options.earlyStop === false ? 'Residual: **Paris**, capital of France since 987.' : 'NO FURTHER IMPROVEMENT' },
    ...DEFAULT_RULES,
  ];
  const scripted = (name: string) => new ScriptedEngine({ rules, model: name, tokenDelayMs: options.tokenDelayMs ?? 0 });
  const engine = (name: string): ChatEngine => (options.burst ? bursty(scripted(name), options.burst) : scripted(name));
  const agents = names.map((name) => ({ name, engine: engine(name) }));
  const aggregator = {
    name: 'Aggregator',
    engine: engine('aggregator'),
    ...(options.aggregatorContextWindow ? { contextWindow: options.aggregatorContextWindow } : {}),
  };
  const layers = options.layers ?? 2;
  if (options.via === 'moa') {
    el.moa = new AttentionMoA({ agents, aggregator, layers });
  } else {
    el.setAttribute('layers', String(layers));
    el.aggregator = aggregator;
    el.agents = agents;
  }
  events.length = 0;
}

export interface LoaderSetup {
  models: string[];
  /** Download size per model, bytes. */
  totalBytes: number[];
  steps: number;
  stepMs: number;
  /** Seconds of (pretend) load time per step, for the ETA. */
  secondsPerStep?: number;
  /** Fail after the last step with this error. */
  fail?: { name: string; message: string; code?: string };
}

/** The `models` path with a test loader: progress on a timer, then scripted engines (no pool, no weights). */
function setupLoader(options: LoaderSetup) {
  el.agents = undefined;
  el.moa = undefined;
  el.setAttribute('layers', '1');
  el.setAttribute('models', options.models.join(', '));
  const engine = (model: string) => new ScriptedEngine({ rules: DEFAULT_RULES, model });
  el.loader = async ({ models, signal, onPlan, onProgress }) => {
    onPlan?.({ downloadBytes: options.totalBytes.reduce((a, b) => a + b, 0) });
    for (let step = 1; step <= options.steps; step++) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, options.stepMs);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason);
        }, { once: true });
      });
      models.forEach((model, i) => {
        const fraction = step / options.steps;
        onProgress(model, {
          progress: fraction,
          text: fraction < 1 ? `Fetching param cache[${step}/${options.steps}]` : 'Finish loading on WebGPU',
          loadedBytes: Math.round(options.totalBytes[i]! * fraction),
          totalBytes: options.totalBytes[i]!,
          elapsedSeconds: step * (options.secondsPerStep ?? 10),
        });
      });
    }
    if (options.fail) throw Object.assign(new Error(options.fail.message), options.fail);
    const agents = models.map((model) => ({ name: model.split('-')[0]!, model, engine: engine(model) }));
    return { agents, aggregator: { name: 'Aggregator', engine: agents[0]!.engine, model: models[0] }, simulated: true };
  };
  events.length = 0;
}

const moaTest = { setup, setupLoader, events, el };
declare global {
  interface Window {
    moaTest: typeof moaTest;
  }
}
window.moaTest = moaTest;
document.body.dataset.ready = 'true';
