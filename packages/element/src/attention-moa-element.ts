/**
 * `<attention-moa>`: several models answer together with the Attention-MoA protocol, and the answer renders as it
 * is built. The element holds the public API, the settings and its problems, the conversation and the UI state; a
 * RunController turns a run's events into the view model, a LoadingController turns the `models` attribute into
 * engines. Which runner answers is `runner-choice.ts`, the DOM events are `event-forwarding.ts`, a turn's markup is
 * `turn-view.ts`. Every problem is shown in the component and sent as a `moa-error` event, never thrown into the void.
 */
import { offDevice } from '@attention-moa/core/lite';
import { LitElement, html, nothing, type PropertyDeclaration, type PropertyValues, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import type {
  AgentConfig,
  AggregatorConfig,
  AttentionMoAOptions,
  AnyChatEngine,
  AttentionMoAResult,
  ChatEngine,
  ChatMessage,
  OffDevice,
  RoleTokenLimits,
} from '@attention-moa/core';
import { CSS_PARTS, PROPERTIES, type PropertyDoc } from './element-api.js';
import { moaEvent, type AttentionMoAElementEventMap, type AttentionMoAElementEventName } from './events.js';
import { AttentionMoABusyError, AttentionMoAElementError } from './errors.js';
import { describeError, type Problem } from './problems.js';
import { parseSettings, type Settings } from './settings.js';
import { RunController, isMoaRunner, type MoaRunner } from './run-controller.js';
import { LoadingController } from './loading-controller.js';
import type { LoadedEngines, ModelLoader } from './loader-contract.js';
import { defaultModelLoader } from './engine-pool-loader.js';
import { chooseRunner, loadRequestFor, runnerInputProblems } from './runner-choice.js';
import { forwardRunAction, loadProgressDetail } from './event-forwarding.js';
import { errorInfo, type RunAction, type RunView } from './view-model.js';
import { offDeviceBadge, offDeviceNotice, simulatedBadge, type DetailsContext } from './run-details.js';
import type { MapSelection } from './attention-map.js';
import { loadingTemplate } from './loading-view.js';
import { pendingTurnTemplate, turnTemplate } from './turn-view.js';
import { problemTemplate } from './problem-view.js';
import { checkRestoredTurn, messagesOf, restoredView, type RestoredTurn } from './restored-turn.js';
import { plural } from './format.js';
import { styles } from './styles.js';
import { loadMarkdown } from './markdown/markdown-directive.js';
import { loadCore } from './core-loader.js';

/** Attribute text → number when it is a whole number, else the text itself, so validation can quote it back. */
const numberOrText = {
  fromAttribute: (value: string | null) => (value === null ? undefined : /^\s*\d+\s*$/.test(value) ? Number(value) : value),
  toAttribute: (value: unknown) => (value === undefined || value === null ? null : String(value)),
};

/** An on-by-default attribute: removed → true, "false" → false; other text stays text, so validation can quote it. */
const onByDefault = {
  fromAttribute: (value: string | null) => (value === null ? true : value.trim().toLowerCase() === 'false' ? false : value),
  toAttribute: (value: unknown) => (value === false ? 'false' : null),
};

function litProperties(docs: readonly PropertyDoc[]): Record<string, PropertyDeclaration> {
  const out: Record<string, PropertyDeclaration> = {};
  for (const doc of docs) {
    if (doc.kind === 'object') out[doc.name] = { attribute: false };
    else if (doc.kind === 'boolean') out[doc.name] = { type: Boolean, attribute: doc.attribute, reflect: doc.reflect ?? false };
    else if (doc.kind === 'number') out[doc.name] = { attribute: doc.attribute, converter: numberOrText };
    else if (doc.kind === 'switch') out[doc.name] = { attribute: doc.attribute, converter: onByDefault };
    else out[doc.name] = { attribute: doc.attribute };
  }
  return out;
}

const SETTINGS_KEYS = ['models', 'remoteModels', 'layers', 'attention', 'earlyStop', 'maxTokens', 'memoryBudget', 'drafts', 'math', 'agents', 'moa', 'aggregator', 'loader', 'options'] as const;

export type ElementStatus = 'idle' | 'loading' | 'running' | 'done' | 'stopped' | 'error';

let instances = 0;

export class AttentionMoAElement extends LitElement {
  static override styles = styles;
  static override properties = litProperties(PROPERTIES);
  /** The `::part` names this element exposes (documented in custom-elements.json). */
  static readonly parts = CSS_PARTS.map((p) => p.name);

  declare models: string | undefined;
  declare remoteModels: string | undefined;
  declare aggregator: string | AggregatorConfig | undefined;
  declare layers: number | undefined;
  declare attention: string | undefined;
  declare earlyStop: string | undefined;
  declare maxTokens: number | string | RoleTokenLimits | undefined;
  declare memoryBudget: string | number | undefined;
  declare placeholder: string;
  declare compact: boolean;
  declare simulated: boolean;
  declare preload: boolean;
  declare drafts: boolean | string;
  declare math: boolean | string;
  declare moa: MoaRunner | undefined;
  declare agents: AgentConfig[] | undefined;
  declare options: Partial<AttentionMoAOptions> | undefined;
  declare loader: ModelLoader | undefined;

  readonly #uid = `moa${++instances}`;
  readonly #run = new RunController(this, (action, view) => this.#onRunAction(action, view));
  readonly #loading = new LoadingController(this, (model, report, view) => {
    this.#emit('moa-load-progress', loadProgressDetail(model, report, view));
  });
  /** Finished turns (the current one is the run controller's view). */
  #turns: RunView[] = [];
  #messages: ChatMessage[] = [];
  #settings: Settings = { models: [], remote: [], protocol: {}, drafts: true, math: true };
  #configProblems: Problem[] = [];
  #problem: Problem | undefined;
  #busy = false;
  /** The question asked while the models load (before its run exists). */
  #pendingQuestion: string | undefined;
  #stopRequested = false;
  #loadedSimulated = false;
  #announcedEngines: LoadedEngines | undefined;
  #draft = '';
  /** The turn whose question is being edited in the prompt box (Send replaces it and what follows). */
  #editing: number | undefined;
  #openDetails = new Set<string>();
  #selection = new Map<string, MapSelection>();
  #copiedAnswer: RunView | undefined;
  #copiedTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.placeholder = 'Ask a question…';
    this.compact = false;
    this.simulated = false;
    this.preload = false;
    this.drafts = true;
    this.math = true;
  }

  // ------------------------------------------------------------------ public API

  /** What the element is doing. */
  get status(): ElementStatus {
    if (this.#loading.loading) return 'loading';
    const view = this.#run.view;
    if (view?.status === 'running') return 'running';
    if (this.#problem) return 'error';
    return view?.status ?? 'idle';
  }

  /** The finished turns: user and assistant messages, sent as history with the next question. */
  get conversation(): ChatMessage[] {
    return this.#messages.map((m) => ({ ...m }));
  }

  /** The last completed run's result, with its trace. */
  get lastResult(): AttentionMoAResult | undefined {
    return [...this.#allTurns()].reverse().find((t) => t.result)?.result;
  }

  /**
   * Asks a question (the next turn of the conversation), loading the models first if needed.
   * Resolves with the result, or null when stopped. Rejects with `AttentionMoABusyError` while another question is
   * in flight (the element does not queue), and with `AttentionMoAElementError` when the question fails (the same
   * problem is shown in the component and sent as `moa-error`).
   */
  async ask(text: string): Promise<AttentionMoAResult | null> {
    const question = typeof text === 'string' ? text.trim() : '';
    if (!question) throw new TypeError('ask(text): text must be a non-empty string, e.g. el.ask("What is WebGPU?")');
    if (this.#busy) throw new AttentionMoABusyError();
    this.#busy = true;
    this.#stopRequested = false;
    this.#problem = undefined;
    this.#pendingQuestion = question;
    this.requestUpdate();
    // The Markdown renderer arrives while the models load or the agents propose, before the first answer token.
    this.#warmUp();
    let started = false;
    try {
      if (this.#configProblems.length) throw new AttentionMoAElementError(this.#configProblems[0]!);
      let runner: MoaRunner;
      try {
        runner = await this.#resolveRunner();
      } catch (error) {
        if (this.#stopRequested) return null;
        const problem = error instanceof AttentionMoAElementError ? error.problem : describeError(errorInfo(error), {
          code: 'load-failed', title: 'The models could not be loaded', nextStep: 'Try again, or choose smaller models.',
        });
        this.#showProblem(problem);
        throw error instanceof AttentionMoAElementError ? error : new AttentionMoAElementError(problem);
      }
      if (this.#stopRequested) return null;
      if (this.#run.view) this.#turns = [...this.#turns, this.#run.view];
      started = true;
      this.#pendingQuestion = undefined;
      const messages: ChatMessage[] = [...this.#messages, { role: 'user', content: question }];
      this.#pendingMessages = messages;
      const view = await this.#run.run(runner, messages, question);
      if (view.status === 'done' && view.result) {
        this.#messages = [...messages, { role: 'assistant', content: view.result.answer }];
        return view.result;
      }
      // A stopped or failed question goes back into the prompt box (unless something new was typed), to send again
      // or edit; the partial answer stays visible above.
      started = false;
      if (view.status === 'stopped') return null;
      throw new AttentionMoAElementError(this.#problem ?? describeError(view.error ?? { name: 'Error', message: 'The run failed' }));
    } finally {
      this.#busy = false;
      this.#pendingQuestion = undefined;
      // A question without an answer (stopped, failed, or never started) goes back into the prompt box.
      if (!started && !this.#draft) this.#draft = question;
      if (!started) this.#focusInput();
      this.requestUpdate();
    }
  }

  /** Stops the question in flight (and a model load in progress); the partial answer stays visible. */
  stop(): void {
    if (!this.#busy) return;
    this.#stopRequested = true;
    this.#loading.cancel();
    this.#run.stop();
  }

  /** Stops any run and starts a new conversation. Loaded models stay loaded. */
  reset(): void {
    this.stop();
    this.#run.clear();
    this.#turns = [];
    this.#messages = [];
    this.#editing = undefined;
    this.#openDetails.clear();
    this.#selection.clear();
    this.#problem = this.#configProblems[0];
    this.requestUpdate();
  }

  /**
   * Shows finished turns, e.g. a conversation saved earlier: each `{ question, result }` (the `result` of `moa-done`
   * or `lastResult`, trace included) renders as it did live, with its details, and becomes history for the next
   * question. Replaces the current conversation, like `reset()` followed by those turns.
   */
  restoreTurns(turns: readonly RestoredTurn[]): void {
    if (!Array.isArray(turns)) throw new TypeError('restoreTurns(turns): turns must be an array of { question, result }, e.g. el.restoreTurns([{ question, result: el.lastResult }]).');
    const checked = turns.map((t, i) => checkRestoredTurn(t, i));
    this.reset();
    this.#turns = checked.map(restoredView);
    this.#messages = messagesOf(this.#turns);
    this.requestUpdate();
  }

  /** Asks the last question again, replacing its answer. Resolves like `ask`; null when there is nothing to redo. */
  async regenerate(): Promise<AttentionMoAResult | null> {
    const turns = this.#allTurns();
    const last = turns.at(-1);
    if (!last) return null;
    if (this.#busy) throw new AttentionMoABusyError();
    return this.editTurn(turns.length - 1, last.question);
  }

  /**
   * Sends `text` in place of turn `index`'s question (0-based): that turn and every later one are removed, and the
   * new question is asked with the turns before it as history. `moa-run-start`'s `turn` is then `index`.
   */
  async editTurn(index: number, text: string): Promise<AttentionMoAResult | null> {
    const turns = this.#allTurns();
    if (!Number.isInteger(index) || index < 0 || index >= turns.length) {
      throw new RangeError(`editTurn(index, text): index must be a turn number from 0 to ${turns.length - 1}, got ${String(index)}.`);
    }
    if (this.#busy) throw new AttentionMoABusyError();
    this.#editing = undefined;
    this.#run.clear();
    this.#turns = turns.slice(0, index);
    this.#messages = messagesOf(this.#turns);
    for (const key of [...this.#openDetails]) if (Number(key) >= index) this.#openDetails.delete(key);
    return this.ask(text);
  }

  /**
   * Loads what answering needs now (otherwise the first question does): the models of `models`, with progress, and
   * the element's own code for a run (the protocol, the Markdown renderer), which a page that only shows the
   * element never loads.
   */
  async load(): Promise<void> {
    const code = this.#warmUp();
    try {
      // Models to load only with the `models` path (nothing set yet: just the code).
      if (this.moa || this.agents || !this.#settings.models.length) await code;
      else await Promise.all([this.#loadModels(), code]);
    } catch (error) {
      if (this.#stopRequested) return;
      const problem = error instanceof AttentionMoAElementError ? error.problem : describeError(errorInfo(error), {
        code: 'load-failed', title: 'The models could not be loaded', nextStep: 'Try again, or choose smaller models.',
      });
      this.#showProblem(problem);
      throw error instanceof AttentionMoAElementError ? error : new AttentionMoAElementError(problem);
    }
  }

  // ------------------------------------------------------------------ lifecycle

  #pendingMessages: ChatMessage[] = [];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!SETTINGS_KEYS.some((k) => changed.has(k))) return;
    const { settings, problems } = parseSettings({
      models: this.models, remoteModels: this.remoteModels, layers: this.layers, attention: this.attention, earlyStop: this.earlyStop,
      maxTokens: this.maxTokens, memoryBudget: this.memoryBudget, drafts: this.drafts, math: this.math,
    });
    problems.push(...runnerInputProblems(this));
    this.#settings = settings;
    const before = new Set(this.#configProblems.map(problemKey));
    this.#configProblems = problems;
    const fresh = problems.filter((p) => !before.has(problemKey(p)));
    // Show the first new problem; clear a shown configuration problem once it is fixed.
    if (fresh.length) this.#problem = fresh[0];
    else if (this.#problem?.code === 'invalid-attribute' && !problems.some((p) => problemKey(p) === problemKey(this.#problem!))) {
      this.#problem = problems[0];
    }
    this.#freshProblems = fresh;
  }

  #freshProblems: Problem[] = [];

  protected override updated(changed: PropertyValues<this>): void {
    for (const problem of this.#freshProblems) this.#emit('moa-error', problem);
    this.#freshProblems = [];
    // Engines handed over: a question is coming, so fetch what answering needs now, not with the first token.
    if ((changed.has('moa') && this.moa) || (changed.has('agents') && this.agents)) this.#warmUp();
    if (changed.has('moa') && this.moa && isMoaRunner(this.moa)) {
      this.#emit('moa-ready', { source: 'moa', agents: [], simulated: this.simulated });
    } else if (changed.has('agents') && this.agents && !this.moa && !this.#configProblems.some((p) => p.field === 'agents')) {
      this.#emit('moa-ready', { source: 'agents', agents: this.agents.map((a) => a.name), simulated: this.#isSimulated() });
    }
    // preload: load the models as soon as they are known (load() shows failures itself).
    if ((changed.has('preload') || changed.has('models') || changed.has('loader')) && this.preload && this.#settings.models.length && !this.#configProblems.length) {
      this.load().catch(() => undefined);
    }
  }

  // ------------------------------------------------------------------ engines

  /**
   * Starts loading what a question needs (the Markdown renderer; the protocol unless a prepared runner answers):
   * the element's page chunk has neither, so a page that only shows the element never loads them. Callers that do
   * not wait for it drop its failure: the question itself loads them again and reports what fails.
   */
  #warmUp(): Promise<unknown> {
    const code = Promise.all([loadMarkdown(), this.moa ? undefined : loadCore()]);
    code.catch(() => undefined);
    return code;
  }

  #resolveRunner(): Promise<MoaRunner> {
    return chooseRunner(
      { moa: this.moa, agents: this.agents, aggregator: this.aggregator, options: this.options, settings: this.#settings },
      () => this.#loadModels(),
    );
  }

  async #loadModels(): Promise<LoadedEngines> {
    const loader = this.loader ?? defaultModelLoader;
    const request = loadRequestFor(this.#settings, this.aggregator);
    const engines = await this.#loading.load(loader, request);
    if (engines !== this.#announcedEngines) {
      // Once per load: later questions reuse the loaded engines.
      this.#announcedEngines = engines;
      this.#loadedSimulated = engines.simulated === true || engines.agents.some((a) => isSimulatedEngine(a.engine));
      this.#emit('moa-ready', { source: 'models', agents: engines.agents.map((a) => a.name), simulated: this.#isSimulated() });
      this.requestUpdate();
    }
    return engines;
  }

  #isSimulated(): boolean {
    return (
      this.simulated ||
      this.#loadedSimulated ||
      (this.agents?.some?.((a) => isSimulatedEngine(a?.engine)) ?? false) ||
      this.#allTurns().some((t) => t.simulated)
    );
  }

  /**
   * The agents (and aggregator) whose prompts leave this browser, by name: engines of the runner that answers
   * (the `moa` property's agents, the `agents` property, or the loaded models). Server models named by
   * `remote-models` count before they are loaded, so the notice is there before the first question.
   */
  #offDevice(): Map<string, OffDevice> {
    const out = new Map<string, OffDevice>();
    const { agents, aggregator } = this.#engineConfigs();
    for (const agent of agents) {
      const where = offDevice(agent?.engine);
      if (where) out.set(agent.name, where);
    }
    const aggregatorWhere = offDevice(aggregator?.engine);
    if (aggregator && aggregatorWhere) out.set(aggregator.name ?? 'aggregator', aggregatorWhere);
    if (!this.moa && !this.agents && !this.#announcedEngines) {
      for (const r of this.#settings.remote) {
        const where = offDevice({ remote: { baseURL: r.baseURL } });
        if (where) out.set(`${r.model} (${where.host})`, where);
      }
    }
    return out;
  }

  /** How many agents run in this browser (for the notice's last sentence and the empty state). */
  #localAgentCount(remote: ReadonlyMap<string, OffDevice>): number {
    const { agents } = this.#engineConfigs();
    if (agents.length) return agents.filter((a) => !remote.has(a.name)).length;
    return this.moa ? 0 : this.#settings.models.length;
  }

  /** The agents and aggregator of the runner that answers: the `moa` property's, the `agents` property, or the loaded models. */
  #engineConfigs(): { agents: AgentConfig[]; aggregator: (AggregatorConfig & { name?: string }) | undefined } {
    const moaOptions = (this.moa as { options?: { agents?: AgentConfig[]; aggregator?: AggregatorConfig & { name?: string } } } | undefined)?.options;
    if (this.moa) return { agents: moaOptions?.agents ?? [], aggregator: moaOptions?.aggregator };
    const agents = this.agents ?? this.#announcedEngines?.agents ?? [];
    const aggregator = typeof this.aggregator === 'object' ? this.aggregator : this.#announcedEngines?.aggregator;
    return { agents, aggregator };
  }

  // ------------------------------------------------------------------ events

  #emit<K extends AttentionMoAElementEventName>(name: K, detail: AttentionMoAElementEventMap[K]): void {
    this.dispatchEvent(moaEvent(name, detail));
  }

  #showProblem(problem: Problem): void {
    this.#problem = problem;
    this.requestUpdate();
    this.#emit('moa-error', problem);
  }

  #onRunAction(action: RunAction, view: RunView): void {
    forwardRunAction(action, view, {
      emit: (name, detail) => this.#emit(name, detail),
      turn: this.#turns.length,
      messages: this.#pendingMessages,
      drafts: this.#settings.drafts,
      showProblem: (problem) => this.#showProblem(problem),
    });
  }

  // ------------------------------------------------------------------ UI actions

  #allTurns(): RunView[] {
    return this.#run.view ? [...this.#turns, this.#run.view] : this.#turns;
  }

  #onSubmit(event: Event): void {
    event.preventDefault();
    this.#send();
  }

  #send(): void {
    const text = this.#draft.trim();
    if (!text || this.#busy) return;
    this.#draft = '';
    this.requestUpdate();
    const editing = this.#editing;
    // Failures are shown in the component and sent as moa-error; nothing to do with the rejection here.
    if (editing !== undefined && editing < this.#allTurns().length) this.editTurn(editing, text).catch(() => undefined);
    else this.ask(text).catch(() => undefined);
    this.#editing = undefined;
  }

  #onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      this.#send();
    }
  }

  #onInput(event: Event): void {
    this.#draft = (event.target as HTMLTextAreaElement).value;
    this.requestUpdate();
  }

  #startEdit(index: number): void {
    const turn = this.#allTurns()[index];
    if (!turn || this.#busy) return;
    this.#editing = index;
    this.#draft = turn.question;
    this.requestUpdate();
    this.#focusInput();
  }

  #cancelEdit(): void {
    this.#editing = undefined;
    this.#draft = '';
    this.requestUpdate();
  }

  #focusInput(): void {
    this.updateComplete.then(() => this.renderRoot.querySelector<HTMLTextAreaElement>('textarea')?.focus());
  }

  #onStop(): void {
    if (!this.#busy) return;
    this.stop();
  }

  async #copy(text: string): Promise<void> {
    if (!navigator.clipboard?.writeText) throw new Error('Clipboard not available');
    await navigator.clipboard.writeText(text);
  }

  #copyAnswer(view: RunView): void {
    this.#copy(view.answer).then(
      () => {
        this.#copiedAnswer = view;
        clearTimeout(this.#copiedTimer);
        this.#copiedTimer = setTimeout(() => {
          this.#copiedAnswer = undefined;
          this.requestUpdate();
        }, 2000);
        this.requestUpdate();
      },
      () => this.#showProblem({
        code: 'copy-failed', title: 'Copying failed', message: 'The browser did not allow access to the clipboard.',
        nextStep: 'Select the answer text and copy it with Ctrl+C (⌘C on a Mac).',
      }),
    );
  }

  #dismissProblem(): void {
    this.#problem = undefined;
    this.requestUpdate();
    this.updateComplete.then(() => this.renderRoot.querySelector<HTMLTextAreaElement>('textarea')?.focus());
  }

  // ------------------------------------------------------------------ rendering

  protected override render(): TemplateResult {
    const turns = this.#allTurns();
    const simulated = this.#isSimulated();
    const remote = this.#offDevice();
    const busy = this.#busy;
    return html`
      <div class="panel" part="panel">
        <header class="top" part="header">
          <h2>Attention-MoA</h2>
          ${simulated ? simulatedBadge() : nothing}
          ${remote.size ? offDeviceBadge() : nothing}
          <span class="status-text">${this.#headerStatus()}</span>
        </header>
        ${remote.size ? offDeviceNotice(remote, this.#localAgentCount(remote)) : nothing}
        ${this.#problem ? problemTemplate(this.#problem, () => this.#dismissProblem()) : nothing}
        ${this.#loading.view ? loadingTemplate(this.#loading.view, this.#uid, simulated) : nothing}
        ${turns.length || this.#pendingQuestion
          ? html`<ol class="conversation" part="conversation" aria-label="Conversation">
              ${turns.map((view, i) => this.#turnTemplate(view, i, i === turns.length - 1 && view === this.#run.view, simulated))}
              ${this.#pendingQuestion ? pendingTurnTemplate(this.#pendingQuestion, this.#loading.loading) : nothing}
            </ol>`
          : html`<p class="empty-state">${this.#emptyText(simulated, remote.size > 0, this.#localAgentCount(remote))}</p>`}
        <form class="prompt" part="prompt" @submit=${this.#onSubmit}>
          <label for="${this.#uid}-input">${this.#editing !== undefined
            ? `Edit question ${this.#editing + 1} (sending replaces it and the answers after it)`
            : turns.length ? 'Follow-up question' : 'Your question'}</label>
          <textarea
            id="${this.#uid}-input"
            part="input"
            rows="2"
            .value=${live(this.#draft)}
            placeholder=${this.placeholder}
            aria-describedby="${this.#uid}-hint"
            @input=${this.#onInput}
            @keydown=${this.#onKeydown}
          ></textarea>
          <div class="prompt-row">
            <span class="hint" id="${this.#uid}-hint">Enter to send, Shift+Enter for a new line.</span>
            <div class="buttons">
              ${this.#editing !== undefined
                ? html`<button type="button" class="ghost" part="cancel-edit-button" @click=${() => this.#cancelEdit()}>Cancel edit</button>`
                : nothing}
              ${turns.length
                ? html`<button type="button" class="ghost" part="reset-button" @click=${() => this.reset()}>New conversation</button>`
                : nothing}
              <button type="button" part="stop-button" aria-disabled=${busy ? 'false' : 'true'} @click=${this.#onStop}>Stop</button>
              <button type="submit" class="primary" part="send-button" aria-disabled=${busy || !this.#draft.trim() ? 'true' : 'false'}>Send</button>
            </div>
          </div>
        </form>
      </div>
    `;
  }

  #emptyText(simulated: boolean, remote: boolean, local: number): string {
    const n = this.agents?.length ?? this.#settings.models.length + this.#settings.remote.length;
    const how = n === 1
      ? 'One model answers: it proposes, critiques its own answer, refines it, and writes the final answer.'
      : `${n ? plural(n, 'model') : 'Several models'} answer together: each proposes, critiques the others and itself, refines, and one writes the final answer.`;
    return `${how} ${!remote ? 'It all runs on this device.' : local ? 'Some agents run on servers (see above); the others run on this device.' : 'The agents run on servers (see above), not in this browser.'}${simulated ? ' The agents here are simulated (scripted replies, not models).' : ''}`;
  }

  #headerStatus(): string {
    switch (this.status) {
      case 'loading':
        return 'Loading models…';
      case 'running':
        return 'Answering…';
      case 'done':
        return 'Ready';
      case 'stopped':
        return 'Stopped';
      case 'error':
        return 'Needs attention';
      default:
        return 'Ready';
    }
  }

  #turnTemplate(view: RunView, index: number, current: boolean, simulated: boolean): TemplateResult {
    const id = `${this.#uid}-t${index}`;
    const key = `${index}`;
    const details: DetailsContext = {
      now: performance.now(),
      simulated,
      offDevice: this.#offDevice(),
      idPrefix: id,
      selection: (layer) => this.#selection.get(`${key}:${layer}`),
      onSelect: (layer, selection) => {
        if (selection) this.#selection.set(`${key}:${layer}`, selection);
        else this.#selection.delete(`${key}:${layer}`);
        this.requestUpdate();
      },
      copy: (text) => this.#copy(text),
      math: this.#settings.math,
    };
    return turnTemplate(view, {
      id,
      current,
      simulated,
      compact: this.compact,
      drafts: this.#settings.drafts,
      math: this.#settings.math,
      open: this.#openDetails.has(key),
      copied: this.#copiedAnswer === view,
      details,
      copy: (text) => this.#copy(text),
      onCopyAnswer: () => this.#copyAnswer(view),
      onToggleDetails: (e) => this.#toggleDetails(key, e),
      ...(this.#busy || view.status === 'running' ? {} : {
        onEdit: () => this.#startEdit(index),
        ...(index === this.#allTurns().length - 1 ? { onRegenerate: () => void this.regenerate().catch(() => undefined) } : {}),
      }),
    });
  }

  #toggleDetails(key: string, event: Event): void {
    const open = (event.target as HTMLDetailsElement).open;
    if (open === this.#openDetails.has(key)) return;
    if (open) this.#openDetails.add(key);
    else this.#openDetails.delete(key);
    this.requestUpdate();
  }
}

/** A ScriptedEngine (or any engine that says it is a test double), told without loading core's engine classes. */
function isSimulatedEngine(engine: AnyChatEngine | undefined): boolean {
  return !!engine && 'simulated' in engine && engine.simulated === true;
}

function problemKey(p: Problem): string {
  return `${p.code}|${p.field ?? ''}|${p.message}`;
}
