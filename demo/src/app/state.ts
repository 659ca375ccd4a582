/** The demo page's state, and the setup choices remembered between visits (localStorage, a few bytes). */
import type { Capabilities, Verdict } from '../capability.js';
import type { PresetId, ResolvedPreset } from '../catalog/presets.js';
import type { Conversation } from '../conversations/conversation.js';
import type { ConversationSummary } from '../conversations/conversation-store.js';
import { DEFAULT_MEMORY_BUDGET_MB, WASM_MODEL_CATALOG, type CachedModel, type StorageEstimate } from '@attention-moa/core';
import type { ModelCatalog } from '../catalog/model-catalog.js';
import { DEFAULT_SETTINGS, checkSettings, type ProtocolSettings, type RunMode } from '../run/modes.js';
import type { SimulationSpeed } from '../simulation/simulated-agents.js';
import { DEFAULT_SAMPLING, checkSampling, type SamplingSettings } from '../run/sampling.js';

/** Light, dark, or the operating system's choice. */
export type Theme = 'system' | 'light' | 'dark';
import type { Session } from '../run/session.js';
import { ownModelFromUrl, type OwnModel } from '../catalog/own-models.js';
import type { LoadedElsewhere } from '../run/models-elsewhere.js';

export type EnsembleChoice = { kind: 'preset'; id: PresetId } | { kind: 'custom'; models: string[] };

export interface Notice {
  kind: 'ok' | 'warn' | 'bad';
  text: string;
}

export interface DemoState {
  caps?: Capabilities;
  verdict?: Verdict;
  /** WebLLM's chat models (the runtime's page-side table, loaded at start). */
  catalog?: ModelCatalog;
  presets: ResolvedPreset[];
  /** GPU memory the models may use, MB, as the visitor chose it; undefined = automatic. */
  memoryBudgetMB?: number;
  /** The runtime's default budget for this device (defaultMemoryBudgetMB). */
  defaultBudgetMB: number;
  /** The budget in effect. */
  budgetMB: number;
  recommended?: PresetId;
  choice: EnsembleChoice;
  /** Which of the chosen models (or simulated agents) aggregates; 0 = the ensemble's first. */
  aggregatorIndex: number;
  /** The visitor had made choices on an earlier visit (else the recommendation is preselected). */
  hadPrefs: boolean;
  settings: ProtocolSettings;
  /** System prompt and sampling for every question. */
  sampling: SamplingSettings;
  /** Why the last sampling edit was refused (the field keeps the visitor's text). */
  samplingError?: string;
  theme: Theme;
  simSpeed: SimulationSpeed;
  /** Without a usable GPU: the GGUF models (WASM catalog ids, and ids of `ownModels`) to run on the CPU. */
  wasmModels: string[];
  /** GGUF models the visitor added this visit (by URL or file; a picked file cannot be kept across visits). */
  ownModels: OwnModel[];
  /** Why the last model could not be added. */
  ownModelError?: string;
  /** Reading a picked file's header. */
  ownModelBusy?: boolean;
  pickerQuery: string;
  screen: 'setup' | 'assistant';
  session?: Session;
  /** Starting a session (loading models): overall progress and one row per model. */
  starting?: { text: string; progress?: number; models: { model: string; fraction: number; text: string; state: string }[] };
  startError?: string;
  /** Which start button `starting` / `startError` belong to: the WebGPU models or the CPU (WASM) ones. */
  startKind?: 'webgpu' | 'wasm';
  runMode: RunMode;
  /** After each question, also run the other two modes on it and compare. */
  compare: boolean;
  comparing?: string;
  /** A problem to show on the assistant screen (e.g. the conversation could not be saved). */
  notice?: Notice;
  conversations: ConversationSummary[];
  /** Why conversations cannot be listed or saved (IndexedDB refused), shown with the list. */
  storageNotice?: string;
  current?: Conversation;
  /** The sidebar's search text, and the ids matching it (undefined: no search). */
  searchQuery: string;
  searchHits?: Set<string>;
  /** The conversation just deleted, kept in memory for Undo. */
  deleted?: Conversation;
  /** The id of the conversation being renamed in the list. */
  renaming?: string;
  /** The result of the last import (a bad file says why). */
  importNotice?: Notice;
  running: boolean;
  panel: 'cache' | 'privacy' | null;
  sidebarOpen: boolean;
  /** Models other tabs of this demo hold loaded (each tab plans memory as if alone: loading here too doubles it). */
  modelsElsewhere: LoadedElsewhere[];
  cache: { models: CachedModel[]; storage?: StorageEstimate; busy: boolean; notice?: Notice; loaded: boolean };
}

const PREFS_KEY = 'attention-moa-demo/setup';

/** The CPU ensemble offered first: the two smallest catalog models (≈ 531 MB together). */
export const DEFAULT_WASM_MODELS = ['smollm2-135m-instruct-q8_0', 'smollm2-360m-instruct-q8_0'] as const;

/** Remembered WASM picks that are still in the catalog, or undefined. */
function validWasmModels(ids: unknown): string[] | undefined {
  if (!Array.isArray(ids)) return undefined;
  const known = ids.filter((id): id is string => typeof id === 'string' && WASM_MODEL_CATALOG.some((m) => m.id === id));
  return known.length ? known : undefined;
}

interface Prefs {
  choice?: EnsembleChoice;
  aggregatorIndex?: number;
  memoryBudgetMB?: number;
  settings?: ProtocolSettings;
  simSpeed?: SimulationSpeed;
  wasmModels?: string[];
  runMode?: RunMode;
  compare?: boolean;
  sampling?: SamplingSettings;
  theme?: Theme;
  /** GGUF models the visitor added by URL (a picked file cannot be reopened by the page: it is picked again). */
  ownUrls?: { url: string; name: string; selected: boolean }[];
  /** The conversation open when the page was left: reopened on the next visit. */
  currentId?: string;
}

export function loadPrefs(): Prefs {
  try {
    const raw = localStorage.getItem(PREFS_KEY);
    if (!raw) return {};
    const prefs = JSON.parse(raw) as Prefs;
    // Settings from an older version or edited by hand: keep only what is still valid.
    if (prefs.settings) {
      try {
        prefs.settings = checkSettings(prefs.settings);
      } catch {
        delete prefs.settings;
      }
    }
    if (prefs.sampling) {
      try {
        prefs.sampling = checkSampling(prefs.sampling);
      } catch {
        delete prefs.sampling;
      }
    }
    return prefs;
  } catch {
    return {};
  }
}

export function savePrefs(state: DemoState): void {
  const prefs: Prefs = {
    choice: state.choice,
    aggregatorIndex: state.aggregatorIndex,
    memoryBudgetMB: state.memoryBudgetMB,
    settings: state.settings,
    simSpeed: state.simSpeed,
    wasmModels: state.wasmModels,
    ownUrls: state.ownModels.flatMap((m) => (typeof m.source === 'string' ? [{ url: m.source, name: m.name, selected: state.wasmModels.includes(m.id) }] : [])),
    runMode: state.runMode,
    compare: state.compare,
    sampling: state.sampling,
    theme: state.theme,
    ...(state.current?.turns.length ? { currentId: state.current.id } : {}),
  };
  try {
    localStorage.setItem(PREFS_KEY, JSON.stringify(prefs));
  } catch {
    // storage full or disabled: the choices simply are not remembered
  }
}

/** The URL models remembered from the last visit (new ids), and which of them were picked. */
function rememberedOwnModels(saved: Prefs['ownUrls']): { models: OwnModel[]; picked: string[] } {
  const models: OwnModel[] = [];
  const picked: string[] = [];
  for (const o of Array.isArray(saved) ? saved : []) {
    try {
      const model = ownModelFromUrl(String(o?.url));
      models.push(typeof o.name === 'string' && o.name.trim() ? { ...model, name: o.name } : model);
      if (o.selected === true) picked.push(model.id);
    } catch {
      // edited by hand or from an older version: not a usable URL any more
    }
  }
  return { models, picked };
}

export function initialState(): DemoState {
  const prefs = loadPrefs();
  const own = rememberedOwnModels(prefs.ownUrls);
  const catalogPicks = validWasmModels(prefs.wasmModels);
  return {
    presets: [],
    choice: prefs.choice ?? { kind: 'preset', id: 'tiny' },
    aggregatorIndex: Number.isInteger(prefs.aggregatorIndex) ? prefs.aggregatorIndex! : 0,
    hadPrefs: Object.keys(prefs).length > 0,
    memoryBudgetMB: typeof prefs.memoryBudgetMB === 'number' && prefs.memoryBudgetMB > 0 ? prefs.memoryBudgetMB : undefined,
    defaultBudgetMB: DEFAULT_MEMORY_BUDGET_MB,
    budgetMB: typeof prefs.memoryBudgetMB === 'number' && prefs.memoryBudgetMB > 0 ? prefs.memoryBudgetMB : DEFAULT_MEMORY_BUDGET_MB,
    settings: prefs.settings ?? DEFAULT_SETTINGS,
    sampling: prefs.sampling ?? DEFAULT_SAMPLING,
    theme: prefs.theme === 'light' || prefs.theme === 'dark' ? prefs.theme : 'system',
    simSpeed: prefs.simSpeed ?? 'gpu',
    wasmModels: catalogPicks || own.picked.length ? [...(catalogPicks ?? []), ...own.picked] : [...DEFAULT_WASM_MODELS],
    ownModels: own.models,
    pickerQuery: '',
    screen: 'setup',
    runMode: prefs.runMode ?? 'attention-moa',
    compare: prefs.compare ?? false,
    conversations: [],
    searchQuery: '',
    running: false,
    panel: null,
    sidebarOpen: false,
    modelsElsewhere: [],
    cache: { models: [], busy: false, loaded: false },
  };
}
