/**
 * The element's public surface as data: the element builds its Lit `static properties` from it, and
 * `scripts/element-manifest.mjs` writes `custom-elements.json` from it (a unit test keeps the two in sync), so the
 * documented API cannot drift from the real one.
 */
import type { AttentionMoAElementEventName } from './events.js';

export interface PropertyDoc {
  name: string;
  /** The attribute, for attribute-backed settings; properties holding objects have none. */
  attribute?: string;
  /** How an attribute value is converted ('switch': on by default, like `spellcheck`; "false" turns it off). */
  kind: 'string' | 'number' | 'boolean' | 'switch' | 'object';
  /** The TypeScript type, as documented. */
  type: string;
  default?: string;
  description: string;
  reflect?: boolean;
}

export interface MethodDoc {
  name: string;
  signature: string;
  parameters: { name: string; type: string; description: string }[];
  returns: { type: string; description: string };
  description: string;
}

export interface ReadonlyDoc {
  name: string;
  type: string;
  description: string;
}

export const TAG_NAME = 'attention-moa';

export const PROPERTIES: readonly PropertyDoc[] = [
  { name: 'models', attribute: 'models', kind: 'string', type: 'string', description: 'Comma-separated WebLLM model ids, one agent each, loaded (with progress bars) by the loader on the first question or `load()`. Ignored when `moa` or `agents` is set.' },
  { name: 'remoteModels', attribute: 'remote-models', kind: 'string', type: 'string', description: 'Comma-separated `model@baseURL` entries, e.g. `"smollm2@http://127.0.0.1:8080/v1"`: agents on OpenAI-compatible servers (vLLM, Ollama, llama.cpp\'s server), after the `models` agents. Their prompts leave the browser, and the component says so. No API keys here (attributes are public): for a server that needs one, set `agents` with `createRemoteEngine({ apiKey })`. Ignored when `moa` or `agents` is set.' },
  { name: 'aggregator', attribute: 'aggregator', kind: 'string', type: 'string | AggregatorConfig', description: 'The aggregator: an agent name or model id (default: the first agent), or an `AggregatorConfig` object together with `agents`.' },
  { name: 'layers', attribute: 'layers', kind: 'number', type: 'number', default: 'protocol default (1)', description: 'Maximum number of layers, 1–10.' },
  { name: 'attention', attribute: 'attention', kind: 'string', type: "'full' | 'self' | 'ring' | 'none'", default: "'full'", description: 'Who critiques whom: every agent every answer (`full`), only itself, a ring neighbour and itself, or nobody (classic MoA).' },
  { name: 'earlyStop', attribute: 'early-stop', kind: 'string', type: "'judge' | 'similarity' | 'off'", default: "'judge'", description: 'How a multi-layer run stops early.' },
  { name: 'maxTokens', attribute: 'max-tokens', kind: 'string', type: 'number | string | RoleTokenLimits', description: 'Token cap: a number for answers (propose, refine, aggregate, residual), or per role, e.g. `"propose:512, critique:128"`.' },
  { name: 'memoryBudget', attribute: 'memory-budget', kind: 'string', type: 'string | number', description: 'GPU memory the models may use, e.g. `"4GB"` or `"1500MB"` (a number means MB); passed to the loader for memory planning.' },
  { name: 'placeholder', attribute: 'placeholder', kind: 'string', type: 'string', default: "'Ask a question…'", description: 'Placeholder of the prompt box.' },
  { name: 'compact', attribute: 'compact', kind: 'boolean', type: 'boolean', default: 'false', description: 'Denser layout without the per-layer timeline (answer, status and early-stop notice only).', reflect: true },
  { name: 'simulated', attribute: 'simulated', kind: 'boolean', type: 'boolean', default: 'false', description: 'Label every agent as simulated (scripted replies, not a model). Set automatically when a ScriptedEngine is detected.', reflect: true },
  { name: 'drafts', attribute: 'drafts', kind: 'switch', type: 'boolean', default: 'true', description: 'While the ensemble works, show its best text so far as a clearly labelled draft (a first proposal, then each earlier layer\'s synthesis); the final answer replaces it in place. Screen readers are told the final answer only. `drafts="false"` shows only the final answer (and the protocol writes no drafts).' },
  { name: 'math', attribute: 'math', kind: 'switch', type: 'boolean', default: 'true', description: 'Render formulas in answers: `$…$` and `\\(…\\)` inline, `$$…$$` and `\\[…\\]` on their own line, as MathML (the math renderer loads the first time an answer has one). Prices such as "$5 and $10" stay text. `math="off"` shows every dollar sign and backslash as written.' },
  { name: 'preload', attribute: 'preload', kind: 'boolean', type: 'boolean', default: 'false', description: 'Start loading `models` as soon as the element is connected instead of on the first question.' },
  { name: 'moa', kind: 'object', type: 'MoaRunner | undefined', description: 'A prepared protocol runner (an `AttentionMoA` from @attention-moa/core, or anything with the same `run(messages, { signal })`). Takes precedence over `agents` and `models`.' },
  { name: 'agents', kind: 'object', type: 'AgentConfig[] | undefined', description: 'Agents with their engines (scripted, remote, or loaded by your code); the element builds the protocol from them and the attributes.' },
  { name: 'options', kind: 'object', type: 'Partial<AttentionMoAOptions> | undefined', description: 'Further protocol options (prompts, temperature, budgets…), merged under the attributes.' },
  { name: 'loader', kind: 'object', type: 'ModelLoader | undefined', description: 'Replaces the built-in model loader used for `models`.' },
];

export const READONLY: readonly ReadonlyDoc[] = [
  { name: 'status', type: "'idle' | 'loading' | 'running' | 'done' | 'stopped' | 'error'", description: 'What the element is doing.' },
  { name: 'conversation', type: 'ChatMessage[]', description: 'The finished turns so far (user and assistant messages), sent as history with the next question.' },
  { name: 'lastResult', type: 'AttentionMoAResult | undefined', description: 'The last completed run\'s result, with its trace.' },
];

export const METHODS: readonly MethodDoc[] = [
  {
    name: 'ask', signature: 'ask(text: string): Promise<AttentionMoAResult | null>',
    parameters: [{ name: 'text', type: 'string', description: 'The question (the next user turn).' }],
    returns: { type: 'Promise<AttentionMoAResult | null>', description: 'The result, or null when the run was stopped. Rejects when the run fails (the error is also shown and sent as `moa-error`), and with an `AttentionMoABusyError` (code `busy`) while another question is in flight.' },
    description: 'Asks a question; loads the models first if needed.',
  },
  { name: 'stop', signature: 'stop(): void', parameters: [], returns: { type: 'void', description: '' }, description: 'Stops the question in flight (and a model load in progress); the partial answer stays visible.' },
  { name: 'reset', signature: 'reset(): void', parameters: [], returns: { type: 'void', description: '' }, description: 'Stops any run and starts a new conversation. Loaded models stay loaded.' },
  {
    name: 'restoreTurns', signature: 'restoreTurns(turns: RestoredTurn[]): void',
    parameters: [{ name: 'turns', type: 'RestoredTurn[]', description: 'Finished turns, oldest first: `{ question, result?, answer?, error? }`, `result` being the `AttentionMoAResult` of `moa-done` (trace included).' }],
    returns: { type: 'void', description: '' },
    description: 'Shows finished turns (e.g. a saved conversation) as they looked live: Markdown answer, status line, "How this answer was made". They become the history of the next question. Replaces the current conversation; throws a `TypeError` naming the bad turn.',
  },
  {
    name: 'regenerate', signature: 'regenerate(): Promise<AttentionMoAResult | null>', parameters: [],
    returns: { type: 'Promise<AttentionMoAResult | null>', description: 'As `ask`; null when there is no turn.' },
    description: 'Asks the last question again, replacing its answer (the Regenerate button).',
  },
  {
    name: 'editTurn', signature: 'editTurn(index: number, text: string): Promise<AttentionMoAResult | null>',
    parameters: [{ name: 'index', type: 'number', description: '0-based turn to replace.' }, { name: 'text', type: 'string', description: 'The new question.' }],
    returns: { type: 'Promise<AttentionMoAResult | null>', description: 'As `ask`.' },
    description: 'Replaces turn `index` and every later turn with a new question asked on the earlier history (the Edit question button). `moa-run-start` then carries `turn: index`.',
  },
  { name: 'load', signature: 'load(): Promise<void>', parameters: [], returns: { type: 'Promise<void>', description: 'Resolves when the models and the code a run needs are ready.' }, description: 'Loads what answering needs now (the first question does it otherwise): the models of `models`, and the element\'s own code for a run (the protocol, the Markdown renderer), which is not part of its page chunk.' },
];

export const EVENTS: Readonly<Record<AttentionMoAElementEventName, { type: string; description: string }>> = {
  'moa-load-progress': { type: 'LoadProgressDetail', description: 'A model\'s load progressed: `{ model, progress, text, loadedBytes?, totalBytes?, etaSeconds?, fromCache }`.' },
  'moa-ready': { type: 'ReadyDetail', description: 'Engines are ready: models loaded, or `agents`/`moa` set. `{ source, agents, simulated }`.' },
  'moa-run-start': { type: 'RunStartDetail', description: 'A question started: `{ question, turn, messages, plan }`.' },
  'moa-call-start': { type: 'CallStartDetail', description: 'A model call started: `{ call, role, layer, agent, target?, promptTokens, cuts }`.' },
  'moa-call-token': { type: 'CallTokenDetail', description: 'A call streamed a token: `{ call, role, layer, agent, target?, token }`.' },
  'moa-call-end': { type: 'CallEndDetail', description: 'A call ended: `{ record }` (the trace record: output, usage, timing, error).' },
  'moa-agent-dropped': { type: 'AgentDroppedDetail', description: 'An agent failed and the run continues without it: `{ dropped }`.' },
  'moa-layer-end': { type: 'LayerEndDetail', description: 'A layer finished: `{ layer, output, source }`.' },
  'moa-early-stop': { type: 'EarlyStopDetail', description: 'The run stopped early: `{ layer, mode, reason, similarity? }`.' },
  'moa-draft-start': { type: 'DraftStartDetail', description: 'A draft (a provisional answer, shown until a better one) started: `{ draft, source: { role, layer, agent, call }, final: false }`. Not sent with `drafts="false"`.' },
  'moa-draft-token': { type: 'DraftTokenDetail', description: 'The current draft streamed text: `{ draft, token, text, final: false }` (`text`: the draft so far).' },
  'moa-draft-end': { type: 'DraftEndDetail', description: 'The draft\'s call ended: `{ draft, status: \'done\' | \'failed\', text, final: false }`. The next draft, or the final answer, replaces it.' },
  'moa-answer-token': { type: 'AnswerTokenDetail', description: 'The final answer streamed a token: `{ token, answer }`.' },
  'moa-done': { type: 'DoneDetail', description: 'The answer is complete: `{ question, result }`, `result.trace` holding every call.' },
  'moa-stopped': { type: 'StoppedDetail', description: 'The question was stopped by `stop()` or the Stop button: `{ question, partialAnswer }`.' },
  'moa-error': { type: 'ErrorDetail', description: 'Something went wrong (also shown in the component): `{ code, title, message, nextStep, field?, error? }`. Bad attribute values use code `invalid-attribute`.' },
};

export const CSS_PROPERTIES: readonly { name: string; default: string; description: string }[] = [
  { name: '--moa-font-family', default: 'system-ui, sans-serif', description: 'Text font.' },
  { name: '--moa-mono-font-family', default: 'ui-monospace, monospace', description: 'Code font.' },
  { name: '--moa-font-size', default: '1rem', description: 'Base font size.' },
  { name: '--moa-color-text', default: '#1b1d21 / #e6e8eb (dark)', description: 'Text colour.' },
  { name: '--moa-color-muted', default: '#565d69 / #a7aeb9', description: 'Secondary text.' },
  { name: '--moa-color-bg', default: '#ffffff / #16181d', description: 'Background.' },
  { name: '--moa-color-surface', default: '#f4f5f7 / #1f232a', description: 'Cards, question bubbles, code.' },
  { name: '--moa-color-border', default: '#d3d7dd / #3a404a', description: 'Borders.' },
  { name: '--moa-color-accent', default: '#2b59c3 / #8fb0ff', description: 'Buttons, progress bars, links.' },
  { name: '--moa-color-on-accent', default: '#ffffff / #0c1324', description: 'Text on the accent colour.' },
  { name: '--moa-color-focus', default: '#1a56db / #9cbcff', description: 'Focus ring.' },
  { name: '--moa-color-error', default: '#b42318 / #ffb4ab', description: 'Error text and border.' },
  { name: '--moa-color-error-bg', default: '#fef3f2 / #3b1513', description: 'Error panel background.' },
  { name: '--moa-color-simulated', default: '#6b4400 / #ffd58a', description: '"Simulated" badge text.' },
  { name: '--moa-color-simulated-bg', default: '#fff1cc / #3a2c0a', description: '"Simulated" badge background.' },
  { name: '--moa-map-low', default: '#e6ecfb / #1d2740', description: 'Attention map: shortest critique.' },
  { name: '--moa-map-high', default: '#2b59c3 / #7ea2ff', description: 'Attention map: longest critique.' },
  { name: '--moa-code-comment', default: '#57606a / #9ba4af', description: 'Code blocks: comments.' },
  { name: '--moa-code-keyword', default: '#c4162a / #ff7b72', description: 'Code blocks: keywords (and Markdown headings, CSS at-rules).' },
  { name: '--moa-code-string', default: '#0a3069 / #a5d6ff', description: 'Code blocks: strings, attribute values, URLs.' },
  { name: '--moa-code-number', default: '#0550ae / #79c0ff', description: 'Code blocks: numbers, booleans, constants.' },
  { name: '--moa-code-function', default: '#6639ba / #d2a8ff', description: 'Code blocks: function and class names, built-ins, decorators.' },
  { name: '--moa-code-tag', default: '#116329 / #7ee787', description: 'Code blocks: HTML/XML tags, CSS selectors.' },
  { name: '--moa-code-attribute', default: '#0550ae / #79c0ff', description: 'Code blocks: attribute names, properties, keys (JSON, YAML).' },
  { name: '--moa-code-variable', default: '#953800 / #ffa657', description: 'Code blocks: variables, regular expressions, parameters.' },
  { name: '--moa-code-inserted', default: '#116329 / #7ee787', description: 'Code blocks: added lines of a diff.' },
  { name: '--moa-code-deleted', default: '#a40e26 / #ffa198', description: 'Code blocks: removed lines of a diff.' },
  { name: '--moa-radius', default: '0.5rem', description: 'Corner radius.' },
  { name: '--moa-space', default: '1rem', description: 'Base spacing.' },
];

export const CSS_PARTS: readonly { name: string; description: string }[] = [
  { name: 'panel', description: 'The whole component box.' },
  { name: 'header', description: 'Title, status and badges.' },
  { name: 'badge', description: 'Badges such as "simulated".' },
  { name: 'off-device-badge', description: 'The badge on an agent that runs on a server (and in the header when any does).' },
  { name: 'off-device-notice', description: 'The notice naming the agents whose prompts leave the browser.' },
  { name: 'error', description: 'The error panel (message and next step).' },
  { name: 'loading', description: 'The model loading section.' },
  { name: 'progress', description: 'One model\'s loading row.' },
  { name: 'conversation', description: 'The list of turns.' },
  { name: 'question', description: 'A user question.' },
  { name: 'answer', description: 'A turn\'s answer area (the current answer is an aria-live region; a draft shown there is not).' },
  { name: 'draft', description: 'A draft shown in the answer area until the final answer replaces it.' },
  { name: 'draft-label', description: 'The line that labels a draft (where it comes from, that the ensemble is still working).' },
  { name: 'copy-button', description: 'Copy buttons (answer and code blocks).' },
  { name: 'code-block', description: 'A fenced code block in an answer (its language label, copy button and code); token colours are the `--moa-code-*` properties.' },
  { name: 'math', description: 'A formula in an answer (a `<math>` element inside; inline, or a display formula on its own line that scrolls sideways when wider than the answer).' },
  { name: 'status', description: 'The run status line.' },
  { name: 'edit-button', description: 'A turn\'s Edit question button.' },
  { name: 'regenerate-button', description: 'The last turn\'s Regenerate button.' },
  { name: 'cancel-edit-button', description: 'The Cancel edit button in the prompt form while a question is edited.' },
  { name: 'early-stop', description: 'The early-stop notice.' },
  { name: 'cut-mark', description: 'The mark on an answer (or a call in the details) that stopped at its token limit: "Cut at the token limit (N tokens)".' },
  { name: 'details', description: 'The collapsible "how this answer was made" section.' },
  { name: 'stats', description: 'The per-agent token/speed table.' },
  { name: 'layer', description: 'One layer of the timeline.' },
  { name: 'agent-card', description: 'One agent\'s card in a layer.' },
  { name: 'attention-map', description: 'A layer\'s n×n critique map.' },
  { name: 'critique', description: 'The critique text opened from the map.' },
  { name: 'synthesis', description: 'A layer\'s aggregate and residual step.' },
  { name: 'prompt', description: 'The prompt form.' },
  { name: 'input', description: 'The prompt text box.' },
  { name: 'send-button', description: 'The Send button.' },
  { name: 'stop-button', description: 'The Stop button.' },
  { name: 'reset-button', description: 'The New conversation button.' },
];
