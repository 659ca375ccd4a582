/**
 * <moa-demo>: the demo page. Holds the state, wires the actions to the modules (capability check, catalog, sessions,
 * conversation store, cache, privacy monitor) and composes the views. Light DOM, so the page's stylesheet applies.
 */
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import {
  AttentionMoA,
  DEFAULTS,
  defaultMemoryBudgetMB,
  deleteAllCachedModels,
  deleteCachedModel,
  listCachedModels,
  wasmCatalogModel,
  WASM_MODEL_CATALOG,
  requestPersistentStorage,
  storageEstimate,
  type AttentionMoAResult,
  type ChatMessage,
  type PoolEvent,
} from '@attention-moa/core';
import { AttentionMoAElement, TAG_NAME } from '@attention-moa/element';
import { detectCapabilities, formatBytes, verdictFor } from '../capability.js';
import { formatMB, loadModelCatalog, type ModelCatalog } from '../catalog/model-catalog.js';
import { recommendPreset, resolvePresets } from '../catalog/presets.js';
import { type Conversation, type Turn, type TurnRun, newConversation, newId, withTurn, withoutTurnsFrom } from '../conversations/conversation.js';
import { ConversationStore } from '../conversations/conversation-store.js';
import { downloadText, exportFileName, parseImport, toJSON, toMarkdown } from '../conversations/export.js';
import { NetworkMonitor } from '../privacy/network-monitor.js';
import { DemoRunner, runMode, type ProtocolFactory, type ProtocolRunner, type RunnerContext } from '../run/demo-runner.js';
import { checkSettings, RUN_MODES, type ProtocolSettings, type RunMode } from '../run/modes.js';
import { loadModelSession } from '../run/model-session.js';
import { loadWasmSession } from '../run/wasm-session.js';
import { simulationSession, type Session } from '../run/session.js';
import { ModelsElsewhere } from '../run/models-elsewhere.js';
import { type SimulationSpeed } from '../simulation/simulated-agents.js';
import { icons } from './icons.js';
import { StartProgress, startErrorText } from './start-progress.js';
import { type DemoState, initialState, loadPrefs, savePrefs } from './state.js';
import { checkSampling, DEFAULT_SAMPLING } from '../run/sampling.js';
import { ownModelFromFile, ownModelFromUrl } from '../catalog/own-models.js';
import { applyTheme, nextTheme, THEME_LABEL } from './theme.js';
import { assistantView, type AssistantActions } from './views/assistant-view.js';
import { cachePanel, privacyPanel, type PanelActions } from './views/panels.js';
import { aggregatorIndex, chosenInfo, chosenModels, MAX_CUSTOM_MODELS, setupView, type SetupActions } from './views/setup-view.js';
import { sidebarView, type SidebarActions } from './views/sidebar-view.js';

// Defined here explicitly: the element package marks its source side-effect free, so a bare
// `import '@attention-moa/element'` may be dropped by the bundler.
if (!customElements.get(TAG_NAME)) customElements.define(TAG_NAME, AttentionMoAElement);

const createProtocol: ProtocolFactory = (options) => new AttentionMoA(options);

/** What the demo uses of <attention-moa> (its public methods). */
interface AssistantElement extends HTMLElement {
  ask(text: string): Promise<unknown>;
  load(): Promise<void>;
  stop(): void;
  reset(): void;
  restoreTurns(turns: { question: string; result?: AttentionMoAResult; answer?: string; error?: { name: string; message: string; code?: string } }[]): void;
}

/** Answers while no models are loaded (a conversation reopened after a reload): says what to do instead. */
const NO_SESSION: ProtocolRunner = {
  run() {
    throw Object.assign(new Error('No models are running yet. Choose “Continue in the simulation” above, or load models in Setup; then send the question again.'), { name: 'NoModelsError' });
  },
};

export class DemoApp extends LitElement {
  static override properties = { state: { state: true } };

  state: DemoState = initialState();
  /** The conversation open when the page was last left (read before the first save overwrites the prefs). */
  private readonly lastConversationId = loadPrefs().currentId;
  readonly monitor = new NetworkMonitor();
  private readonly store = new ConversationStore();
  /** Models loaded in other tabs of the demo, and ours for them. */
  private elsewhere: ModelsElsewhere | undefined;

  protected override createRenderRoot(): HTMLElement {
    return this; // light DOM: the page stylesheet styles everything
  }

  override connectedCallback(): void {
    super.connectedCallback();
    applyTheme(this.state.theme);
    this.monitor.start();
    this.monitor.subscribe(() => this.requestUpdate());
    // Another tab saved or deleted a conversation: the list shows it (its turns are merged on save, never lost).
    this.store.onChangeElsewhere(() => void this.refreshConversations());
    this.elsewhere ??= new ModelsElsewhere((modelsElsewhere) => this.set({ modelsElsewhere }));
    void this.boot();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.monitor.stop();
  }

  private set(patch: Partial<DemoState>): void {
    this.state = { ...this.state, ...patch };
    savePrefs(this.state);
  }

  private async boot(): Promise<void> {
    const [caps, catalog] = await Promise.all([detectCapabilities(), loadModelCatalog(), this.refreshConversations()]);
    const verdict = verdictFor(caps);
    const defaultBudgetMB = defaultMemoryBudgetMB(caps.deviceMemoryGB);
    const budgetMB = this.state.memoryBudgetMB ?? defaultBudgetMB;
    const presets = resolvePresets({ f16: verdict.precision === 'f16', memoryBudgetMB: budgetMB }, catalog);
    const recommended = verdict.preferTiny ? 'tiny' : recommendPreset(presets);
    let choice = this.state.choice;
    // A remembered custom pick this device cannot run (an f16 build on a GPU without f16, an id WebLLM dropped)
    // falls back to the recommended preset.
    const runnable = (id: string) => {
      const m = catalog.find(id);
      return !!m && (!m.needsF16 || verdict.precision === 'f16');
    };
    if (!this.state.hadPrefs || (choice.kind === 'custom' && !choice.models.every(runnable))) choice = { kind: 'preset', id: recommended };
    this.set({ caps, catalog, verdict, presets, recommended, choice, defaultBudgetMB, budgetMB });
    // A reload reopens the conversation that was open (the setup screen is one click away).
    const lastId = this.lastConversationId;
    const last = lastId && this.state.conversations.some((c) => c.id === lastId) ? await this.store.get(lastId).catch(() => undefined) : undefined;
    if (last && !this.state.current) await this.switchConversation(last);
    document.documentElement.dataset.ready = 'true';
  }

  /** Presets depend on the budget: recompute them when it changes. */
  private setBudget(memoryBudgetMB: number | undefined): void {
    const { catalog, verdict, defaultBudgetMB } = this.state;
    const budgetMB = memoryBudgetMB ?? defaultBudgetMB;
    const presets = catalog ? resolvePresets({ f16: verdict?.precision === 'f16', memoryBudgetMB: budgetMB }, catalog) : this.state.presets;
    this.set({ memoryBudgetMB, budgetMB, presets });
  }

  private async refreshConversations(): Promise<void> {
    try {
      this.set({ conversations: await this.store.list(), storageNotice: undefined });
    } catch (error) {
      // The demo works without storage; the list says why nothing is kept.
      console.warn('Conversations could not be read from IndexedDB:', error);
      this.set({ storageNotice: (error as Error).message });
    }
  }

  // ---------- setup ----------
  private readonly setupActions: SetupActions = {
    choosePreset: (id) => this.set({ choice: { kind: 'preset', id }, aggregatorIndex: 0 }),
    chooseCustom: () => {
      if (this.state.choice.kind === 'custom') return;
      this.set({ choice: { kind: 'custom', models: chosenModels(this.state) } });
    },
    toggleModel: (id) => {
      const c = this.state.choice;
      if (c.kind !== 'custom') return;
      const models = c.models.includes(id) ? c.models.filter((m) => m !== id) : [...c.models, id].slice(0, MAX_CUSTOM_MODELS);
      // Keep the same model as aggregator when it stays in the pick.
      const previous = c.models[this.state.aggregatorIndex];
      const aggregatorIndex = previous && models.includes(previous) ? models.indexOf(previous) : 0;
      this.set({ choice: { kind: 'custom', models }, aggregatorIndex });
    },
    setPickerQuery: (pickerQuery) => this.set({ pickerQuery }),
    setAggregator: (aggregatorIndex) => this.set({ aggregatorIndex }),
    setSettings: (patch) => this.set({ settings: checkSettings({ ...this.state.settings, ...patch }) }),
    setSimSpeed: (simSpeed: SimulationSpeed) => this.set({ simSpeed }),
    setMemoryBudget: (mb) => this.setBudget(mb),
    cancelStart: () => this.startAbort?.abort(),
    startModels: () => void this.startModels(),
    startSimulation: () => void this.startSimulation(),
    toggleWasmModel: (id) => {
      const picked = this.state.wasmModels;
      const next = picked.includes(id) ? picked.filter((m) => m !== id) : [...picked, id];
      // In catalog order (smallest first), whatever the clicking order; the visitor's own models after them.
      const order = [...WASM_MODEL_CATALOG.map((m) => m.id), ...this.state.ownModels.map((m) => m.id)];
      this.set({ wasmModels: order.filter((m) => next.includes(m)) });
    },
    addOwnModelUrl: (url) => {
      try {
        const model = ownModelFromUrl(url);
        this.set({ ownModels: [...this.state.ownModels, model], wasmModels: [...this.state.wasmModels, model.id], ownModelError: undefined });
      } catch (error) {
        this.set({ ownModelError: (error as Error).message });
      }
    },
    addOwnModelFile: async (file) => {
      this.set({ ownModelBusy: true, ownModelError: undefined });
      try {
        const model = await ownModelFromFile(file);
        this.set({ ownModels: [...this.state.ownModels, model], wasmModels: [...this.state.wasmModels, model.id] });
      } catch (error) {
        this.set({ ownModelError: (error as Error).message });
      } finally {
        this.set({ ownModelBusy: false });
      }
    },
    removeOwnModel: (id) => this.set({
      ownModels: this.state.ownModels.filter((m) => m.id !== id),
      wasmModels: this.state.wasmModels.filter((m) => m !== id),
    }),
    startWasm: () => void this.startWasm(),
  };

  /** Downloads (or reads from the browser cache) the chosen GGUF models and runs them on the CPU, one worker each. */
  private async startWasm(): Promise<void> {
    const ids = this.state.wasmModels;
    if (!ids.length || this.state.starting) return;
    const own = this.state.ownModels;
    const models = ids.map((id) => {
      const mine = own.find((m) => m.id === id);
      return mine ? { id, name: mine.name, bytes: mine.bytes ?? 0 } : { id, name: wasmCatalogModel(id).name, bytes: wasmCatalogModel(id).approxBytes };
    });
    const total = models.reduce((n, m) => n + m.bytes, 0);
    // The largest model writes the final answer.
    const aggregatorIndex = models.reduce((best, m, i) => (m.bytes > models[best]!.bytes ? i : best), 0);
    await this.startSession(
      'wasm',
      models.map((m) => ({ id: m.id, label: m.name })),
      `Preparing ${models.length} model${models.length === 1 ? '' : 's'} for the CPU (≈ ${Math.round(total / 1e6)} MB on the first visit)…`,
      (onEvent, signal) => loadWasmSession({ models: ids, own, aggregatorIndex, settings: this.state.settings, onEvent, signal }),
    );
  }

  private async startSimulation(): Promise<void> {
    this.elsewhere?.released();
    await this.state.session?.dispose();
    const blocked = this.state.verdict?.level === 'blocked';
    const agents = blocked ? 3 : Math.max(1, chosenModels(this.state).length || 3);
    const session = simulationSession({
      agents,
      aggregatorIndex: aggregatorIndex(this.state, agents),
      speed: this.state.simSpeed,
      stopPhrase: DEFAULTS.stopPhrase, // the protocol's own phrase: the script answers it when the judge asks
    });
    this.beginSession(session);
    await this.elementReady();
    this.monitor.markLoaded();
  }

  /** The element has its runner and the code a run needs (it loads the protocol and Markdown renderer on first use). */
  private async elementReady(): Promise<void> {
    await this.updateComplete;
    await this.element()?.load().catch(() => undefined);
  }

  /** A new session answers from now on; the element keeps showing the conversation, its turns the history. */
  private beginSession(session: Session): void {
    const current = this.state.current ?? newConversation();
    this.runner = new DemoRunner(this.runnerContext(session));
    this.set({ session, screen: 'assistant', startError: undefined, current });
    void this.showTurns(current).then(() => this.focusQuestion());
  }

  /** The element shows a conversation's turns as they were answered (Markdown, details, tokens). */
  private async showTurns(conversation: Conversation): Promise<void> {
    await this.updateComplete;
    const el = this.element();
    if (!el) return;
    if (this.state.running) el.stop();
    el.restoreTurns(conversation.turns.map((t) => ({
      question: t.question,
      answer: t.main.answer,
      ...(t.main.result ? { result: t.main.result } : {}),
      ...(t.main.error ? { error: t.main.error } : {}),
    })));
  }

  /** After starting: the question box has the focus and the top of the assistant (banner, models) is in view. */
  private focusQuestion(): void {
    const box = this.element()?.shadowRoot?.querySelector<HTMLTextAreaElement>('textarea');
    box?.focus({ preventScroll: true });
    this.querySelector('#main')?.scrollIntoView({ block: 'start' });
    window.scrollTo({ top: 0 });
  }

  private runnerContext(session: Session): RunnerContext {
    return {
      session,
      create: createProtocol,
      mode: () => this.state.runMode,
      settings: () => this.state.settings,
      sampling: () => this.state.sampling,
    };
  }

  private element(): AssistantElement | null {
    return this.querySelector<AssistantElement>('attention-moa');
  }

  private startAbort: AbortController | undefined;

  /** Downloads (or reads from the cache) and loads the chosen models, one worker each, then opens the assistant. */
  private async startModels(): Promise<void> {
    const { catalog, caps } = this.state;
    const models = chosenInfo(this.state);
    if (!catalog || !caps || !models.length || this.state.starting) return;
    const download = models.reduce((n, m) => n + m.downloadMB, 0);
    await this.startSession(
      'webgpu',
      models.map((m) => ({ id: m.id, label: m.id })),
      `Preparing ${models.length} model${models.length === 1 ? '' : 's'} (≈ ${formatMB(download)} on the first visit)…`,
      (onEvent, signal) => loadModelSession({
        models: models.map((m) => m.id),
        aggregatorIndex: aggregatorIndex(this.state),
        catalog,
        memoryBudgetMB: this.state.budgetMB,
        settings: this.state.settings,
        capabilities: caps,
        onEvent,
        signal,
      }),
    );
  }

  /** The one session starter for real models: progress on the start screen, cancel, failure text, then the assistant. */
  private async startSession(
    kind: 'webgpu' | 'wasm',
    models: { id: string; label: string }[],
    intro: string,
    load: (onEvent: (event: PoolEvent) => void, signal: AbortSignal) => Promise<Session>,
  ): Promise<void> {
    const progress = new StartProgress(models, (starting) => this.set({ starting }));
    this.set({ startKind: kind, startError: undefined });
    progress.say(intro);
    const abort = (this.startAbort = new AbortController());
    try {
      this.elsewhere?.released();
      await this.state.session?.dispose();
      const session = await load(progress.onEvent, abort.signal);
      this.set({ starting: undefined });
      this.beginSession(session);
      // Other tabs of the demo are told, so they do not load a second copy without saying so.
      this.elsewhere?.holding(kind, models.map((m) => m.label));
      await this.elementReady();
      // Counting starts now: from here on the models answer on this device and nothing should be fetched.
      this.monitor.markLoaded();
    } catch (error) {
      this.set({ starting: undefined, startError: startErrorText(error, abort.signal.aborted) });
    } finally {
      this.startAbort = undefined;
    }
  }

  // ---------- assistant ----------
  private readonly assistantActions: AssistantActions = {
    setRunMode: (runMode: RunMode) => this.set({ runMode }),
    setCompare: (compare) => this.set({ compare }),
    askExample: (text) => void this.ask(text),
    backToSetup: () => this.set({ screen: 'setup' }),
    startSimulation: () => void this.startSimulation(),
    exportConversation: (format) => this.exportConversation(format),
    setSampling: (patch) => {
      try {
        this.set({ sampling: checkSampling({ ...this.state.sampling, ...patch }), samplingError: undefined });
      } catch (error) {
        this.set({ samplingError: `${(error as Error).message} The previous value stays in effect.` });
      }
    },
    resetSampling: () => this.set({ sampling: DEFAULT_SAMPLING, samplingError: undefined }),
  };

  /** Asks through the element, as if typed: the element shows the run; its events drive persistence. */
  private async ask(text: string): Promise<void> {
    const el = this.element();
    if (!el) return;
    // Failures are shown inside the element and sent as moa-error; nothing to add here.
    await el.ask(text).catch(() => undefined);
  }

  // ---------- runs: persistence and comparisons ----------
  private runner: DemoRunner | undefined;
  private pending: { question: string; turn: number; mode: RunMode; startedAt: number; askedAt: number; history: ChatMessage[] } | undefined;
  private compareAbort: AbortController | undefined;

  private onRunStart(event: CustomEvent<{ question: string; turn: number; messages: ChatMessage[] }>): void {
    this.compareAbort?.abort();
    const { question, turn, messages } = event.detail;
    this.pending = { question, turn, mode: this.state.runMode, startedAt: performance.now(), askedAt: Date.now(), history: messages };
    this.set({ running: true });
    // Regenerate or an edited question replaces turn `turn` and those after it: the saved conversation follows.
    const current = this.state.current;
    if (current && turn < current.turns.length) void this.persist(withoutTurnsFrom(current, turn));
  }

  private async onRunDone(event: CustomEvent<{ question: string; result: AttentionMoAResult }>): Promise<void> {
    const pending = this.pending;
    const session = this.state.session;
    this.pending = undefined;
    if (!pending || !session) return this.set({ running: false });
    const main: TurnRun = { mode: pending.mode, answer: event.detail.result.answer, result: event.detail.result, wallMs: performance.now() - pending.startedAt };
    const turn: Turn = {
      id: newId('t'),
      question: pending.question,
      askedAt: pending.askedAt,
      ensemble: {
        agents: session.agents.map((a) => a.name),
        ...(session.models ? { models: session.models } : {}),
        aggregator: session.aggregator,
        settings: this.state.settings,
        simulated: session.kind === 'simulation',
      },
      main,
    };
    const base = this.state.current ?? newConversation();
    let conversation = withTurn(withoutTurnsFrom(base, pending.turn), turn);
    await this.persist(conversation);
    this.set({ running: false });
    if (!this.state.compare) return;

    // The other two modes on the same question and history, one after another, with the same engines.
    const abort = (this.compareAbort = new AbortController());
    const comparisons: TurnRun[] = [];
    for (const mode of RUN_MODES.map((m) => m.id).filter((m) => m !== pending.mode)) {
      if (abort.signal.aborted) break;
      this.set({ comparing: `Running ${RUN_MODES.find((m) => m.id === mode)!.label} on the same question for comparison…` });
      // pending.history already holds the whole conversation, so this runner adds none of its own.
      comparisons.push(await runMode(this.runnerContext(session), mode, pending.history, abort.signal));
    }
    this.set({ comparing: undefined });
    if (abort.signal.aborted || this.state.current?.id !== conversation.id) return;
    conversation = withTurn(this.state.current, { ...turn, comparisons });
    await this.persist(conversation);
  }

  private onRunEnded(): void {
    this.pending = undefined;
    this.set({ running: false });
  }

  private async persist(conversation: Conversation): Promise<void> {
    this.set({ current: conversation });
    try {
      await this.store.save(conversation);
    } catch (error) {
      this.set({ notice: { kind: 'bad', text: (error as Error).message } });
    }
    await this.refreshConversations();
  }

  private exportConversation(format: 'md' | 'json'): void {
    const c = this.state.current;
    if (!c || c.turns.length === 0) return;
    if (format === 'json') downloadText(toJSON(c), exportFileName(c, 'json'), 'application/json');
    else downloadText(toMarkdown(c), exportFileName(c, 'md'), 'text/markdown');
  }

  // ---------- conversations ----------
  private readonly sidebarActions: SidebarActions = {
    newConversation: () => void this.switchConversation(newConversation()),
    openConversation: async (id) => {
      const conversation = await this.store.get(id);
      if (conversation) await this.switchConversation(conversation);
    },
    deleteConversation: async (id) => {
      // Kept in memory until the next delete: Undo saves it back.
      const deleted = await this.store.get(id).catch(() => undefined);
      await this.store.delete(id).catch((error: Error) => this.set({ notice: { kind: 'bad', text: error.message } }));
      this.set({ deleted });
      if (this.state.current?.id === id) await this.switchConversation(newConversation());
      await this.refreshConversations();
      await this.refreshSearch();
    },
    undoDelete: async () => {
      const deleted = this.state.deleted;
      if (!deleted) return;
      this.set({ deleted: undefined });
      await this.persist(deleted);
      await this.switchConversation(deleted);
      await this.refreshSearch();
    },
    startRename: (id) => {
      this.set({ renaming: id });
      void this.updateComplete.then(() => this.querySelector<HTMLInputElement>(`[data-testid="rename-input"]`)?.select());
    },
    cancelRename: () => this.set({ renaming: undefined }),
    rename: async (id, title) => {
      const name = title.trim().replace(/\s+/g, ' ');
      this.set({ renaming: undefined });
      if (!name) return;
      const stored = this.state.current?.id === id ? this.state.current : await this.store.get(id);
      if (!stored) return;
      const renamed = { ...stored, title: name, renamed: true };
      if (this.state.current?.id === id) await this.persist(renamed);
      else {
        await this.store.save(renamed).catch((error: Error) => this.set({ notice: { kind: 'bad', text: error.message } }));
        await this.refreshConversations();
      }
      this.querySelector<HTMLButtonElement>(`[data-testid="rename-conversation"][aria-label*="${CSS.escape(name)}"]`)?.focus();
    },
    search: (searchQuery) => {
      this.set({ searchQuery });
      void this.refreshSearch();
    },
    importFile: (file) => void this.importFile(file),
  };

  private async refreshSearch(): Promise<void> {
    const query = this.state.searchQuery;
    if (!query.trim()) return this.set({ searchHits: undefined });
    const hits = await this.store.search(query).catch(() => undefined);
    if (this.state.searchQuery === query) this.set({ searchHits: hits });
  }

  private async importFile(file: File): Promise<void> {
    try {
      if (file.size > 50 * 1024 * 1024) throw new Error(`${file.name} is ${formatBytes(file.size)}; an exported conversation is far smaller. Pick the “JSON with trace” file.`);
      const conversation = parseImport(await file.text(), () => newId('c'));
      await this.store.save(conversation);
      await this.refreshConversations();
      await this.switchConversation(conversation);
      this.set({ importNotice: { kind: 'ok', text: `Imported “${conversation.title}” (${conversation.turns.length} question${conversation.turns.length === 1 ? '' : 's'}).` } });
    } catch (error) {
      this.set({ importNotice: { kind: 'bad', text: `Could not import ${file.name}: ${(error as Error).message}` } });
    }
  }

  /** Shows another conversation in the element, its turns as they were answered and the history of the next one. */
  private async switchConversation(conversation: Conversation): Promise<void> {
    if (this.state.running) this.element()?.stop();
    this.compareAbort?.abort();
    // A stored conversation opens even without models (read it, export it, continue it); an empty one needs a session.
    const screen = this.state.session || conversation.turns.length ? 'assistant' : 'setup';
    this.set({ current: conversation, sidebarOpen: false, screen, comparing: undefined, notice: undefined, importNotice: undefined });
    await this.showTurns(conversation);
  }

  // ---------- panels ----------
  private readonly panelActions: PanelActions = {
    closePanel: () => this.set({ panel: null }),
    refreshCache: () => void this.refreshCache(),
    deleteModel: (modelId) => void this.cacheTask(async () => {
      const { files, bytes } = await deleteCachedModel(modelId);
      return { kind: 'ok', text: `Deleted ${modelId}: ${files} file${files === 1 ? '' : 's'}, ${formatBytes(bytes)} freed.` };
    }),
    deleteAllModels: () => void this.cacheTask(async () => {
      const { files, bytes } = await deleteAllCachedModels();
      return { kind: 'ok', text: `Deleted every cached model: ${files} file${files === 1 ? '' : 's'}, ${formatBytes(bytes)} freed.` };
    }),
    requestPersistence: () => void this.cacheTask(async () => {
      const granted = await requestPersistentStorage();
      return granted
        ? { kind: 'ok', text: 'Storage is now persistent: the browser will not evict the models to free space.' }
        : { kind: 'warn', text: 'The browser declined persistent storage. Chromium grants it to sites you use often, bookmark or install; the models stay cached until space runs low.' };
    }),
  };

  private async refreshCache(): Promise<void> {
    await this.cacheTask(async () => undefined);
  }

  private async cacheTask(task: () => Promise<DemoState['cache']['notice']>): Promise<void> {
    this.set({ cache: { ...this.state.cache, busy: true } });
    let notice: DemoState['cache']['notice'];
    try {
      notice = await task();
    } catch (error) {
      notice = { kind: 'bad', text: (error as Error).message };
    }
    let models = this.state.cache.models;
    let storage = this.state.cache.storage;
    try {
      [models, storage] = await Promise.all([listCachedModels(), storageEstimate()]);
    } catch (error) {
      notice = { kind: 'bad', text: `Could not read the model cache: ${(error as Error).message}` };
    }
    this.set({ cache: { models, storage, busy: false, notice, loaded: true } });
  }

  private setTheme(theme: DemoState['theme']): void {
    applyTheme(theme);
    this.set({ theme });
  }

  private openPanel(panel: 'cache' | 'privacy'): void {
    this.set({ panel, sidebarOpen: false });
    if (panel === 'cache') void this.refreshCache();
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    for (const id of ['cache', 'privacy'] as const) {
      const dialog = this.querySelector<HTMLDialogElement>(`#panel-${id}`);
      if (!dialog) continue;
      if (this.state.panel === id && !dialog.open) dialog.showModal();
      if (this.state.panel !== id && dialog.open) dialog.close();
    }
  }

  // ---------- render ----------
  /** <attention-moa> at full size, answering through the demo's runner. Rendered once per page, kept across screens. */
  private assistantElement(session: Session | undefined): TemplateResult {
    return html`<attention-moa
      .moa=${session ? this.runner : NO_SESSION}
      ?simulated=${session?.kind === 'simulation'}
      placeholder="Ask anything…"
      @moa-run-start=${(e: CustomEvent) => this.onRunStart(e)}
      @moa-done=${(e: CustomEvent) => void this.onRunDone(e)}
      @moa-stopped=${() => this.onRunEnded()}
      @moa-error=${() => this.pending && this.onRunEnded()}
    ></attention-moa>`;
  }

  override render(): TemplateResult {
    const s = this.state;
    const count = this.monitor.armed ? this.monitor.count : undefined;
    const turns = s.current?.turns ?? [];
    const onSetup = s.screen === 'setup';
    return html`
      <header class="topbar">
        <button class="btn btn--ghost btn--small only-narrow" aria-label="Conversations" aria-controls="sidebar" aria-expanded=${String(s.sidebarOpen)}
          @click=${() => this.set({ sidebarOpen: !s.sidebarOpen })}>${icons.menu}</button>
        <a class="brand" href="./">${icons.logo}<span class="brand-name">Attention-MoA</span><span class="brand-tag">private multi-model assistant</span></a>
        <span class="topbar-spacer"></span>
        <nav class="topbar-actions" aria-label="Panels">
          <button class="btn btn--ghost" data-testid="theme-toggle" title=${`${THEME_LABEL[s.theme]} (click to change)`}
            @click=${() => this.setTheme(nextTheme(s.theme))}>${s.theme === 'dark' ? icons.moon : s.theme === 'light' ? icons.sun : icons.contrast}<span class="visually-hidden">Theme: </span><span class="theme-name">${s.theme === 'system' ? 'Auto' : s.theme === 'dark' ? 'Dark' : 'Light'}</span></button>
          <button class="btn btn--ghost" data-testid="open-cache" @click=${() => this.openPanel('cache')}>${icons.database}<span class="label-long">Models</span></button>
          <button class="btn btn--ghost" data-testid="open-privacy" @click=${() => this.openPanel('privacy')}>${icons.shield}<span class="label-long">Privacy</span>
            ${count !== undefined ? html`<span class="count-pill" data-testid="privacy-pill" ?data-nonzero=${count > 0} aria-label=${`${count} network requests`}>${count}</span>` : nothing}</button>
        </nav>
      </header>
      <div class="layout">
        ${sidebarView(s, this.sidebarActions)}
        <main class="main" id="main">
          <div class="main-inner" ?hidden=${!onSetup}>${setupView(s, this.setupActions)}</div>
          <div class="main-inner" ?hidden=${onSetup}>
            ${assistantView(s, this.assistantActions, { element: this.assistantElement(s.session) })}
          </div>
          <p class="footer">Attention-MoA Web · runs entirely in your browser · <a href="https://arxiv.org/abs/2601.16596" rel="noopener noreferrer">the Attention-MoA paper</a></p>
        </main>
      </div>
      <dialog class="panel" id="panel-cache" aria-labelledby="cache-title" @close=${() => s.panel === 'cache' && this.set({ panel: null })}>
        ${s.panel === 'cache' ? cachePanel(s, this.panelActions) : nothing}
      </dialog>
      <dialog class="panel" id="panel-privacy" aria-labelledby="privacy-title" @close=${() => s.panel === 'privacy' && this.set({ panel: null })}>
        ${s.panel === 'privacy' ? privacyPanel(s, this.monitor, this.panelActions) : nothing}
      </dialog>
    `;
  }
}

customElements.define('moa-demo', DemoApp);

declare global {
  interface HTMLElementTagNameMap {
    'moa-demo': DemoApp;
  }
}

export type { ProtocolSettings };
