/** The first screen: the capability verdict, the ensemble (presets or a custom pick), protocol settings, start. */
import { html, nothing, type TemplateResult } from 'lit';
import { WASM_MODEL_CATALOG } from '@attention-moa/core';
import { wasmDownloadBytes } from '../../run/wasm-session.js';
import { formatMB, shortName, type ModelInfo } from '../../catalog/model-catalog.js';
import type { ResolvedPreset } from '../../catalog/presets.js';
import { EARLY_STOPS, TOPOLOGIES, type ProtocolSettings } from '../../run/modes.js';
import { SIMULATED_AGENT_NAMES, SIMULATION_SPEEDS, type SimulationSpeed } from '../../simulation/simulated-agents.js';
import { cssProps } from '@attention-moa/element';
import { icons } from '../icons.js';
import type { DemoState, EnsembleChoice } from '../state.js';

export interface SetupActions {
  choosePreset(id: ResolvedPreset['id']): void;
  chooseCustom(): void;
  toggleModel(id: string): void;
  setPickerQuery(q: string): void;
  setAggregator(index: number): void;
  setSettings(patch: Partial<ProtocolSettings>): void;
  setSimSpeed(speed: SimulationSpeed): void;
  setMemoryBudget(mb: number | undefined): void;
  cancelStart(): void;
  startModels(): void;
  startSimulation(): void;
  toggleWasmModel(id: string): void;
  startWasm(): void;
  addOwnModelUrl(url: string): void;
  addOwnModelFile(file: File): void;
  removeOwnModel(id: string): void;
}

export const MAX_CUSTOM_MODELS = 5;

/** The model ids of the current choice, as they would load on this device. */
export function chosenModels(state: DemoState): string[] {
  const c = state.choice;
  if (c.kind === 'custom') return c.models;
  return state.presets.find((p) => p.id === c.id)?.models.map((m) => m.id) ?? [];
}

/** The aggregator's index, clamped to the ensemble's size (`size` defaults to the chosen models'). */
/** The chosen models' catalog entries. */
export function chosenInfo(state: DemoState): ModelInfo[] {
  return chosenModels(state).map((id) => state.catalog?.find(id)).filter((m): m is ModelInfo => !!m);
}

/** The budget in effect: the visitor's choice, else the runtime's default for this device. */
export function effectiveBudgetMB(state: DemoState, defaultMB: number): number {
  return state.memoryBudgetMB ?? defaultMB;
}

export function aggregatorIndex(state: DemoState, size = chosenModels(state).length): number {
  return Math.min(Math.max(0, state.aggregatorIndex), Math.max(0, size - 1));
}

export function setupView(state: DemoState, a: SetupActions): TemplateResult {
  const v = state.verdict;
  const blocked = v?.level === 'blocked';
  return html`
    <section class="hero">
      <h1>Several small models, one better answer, all on your device.</h1>
      <p>
        Language models run in this browser on your own GPU and answer together with <b>Attention-MoA</b>: each proposes an
        answer, critiques the others’ and its own, refines it, and an aggregator writes the final answer. No server, no
        account, no API key: after the one-time download, nothing leaves this device.
      </p>
      <ol class="steps" aria-label="The protocol's steps">
        <li><b>1</b> propose</li>
        <li><b>2</b> critique each other</li>
        <li><b>3</b> refine</li>
        <li><b>4</b> aggregate</li>
        <li><b>5</b> residual + early stop</li>
      </ol>
    </section>
    ${verdictCard(state)}
    ${elsewhereNotice(state)}
    ${v ? (blocked ? simulationCard(state, a) : quickSimulation(state, a)) : nothing}
    ${v && v.level !== 'ready' ? wasmCard(state, a) : nothing}
    ${v && !blocked ? ensembleSection(state, a) : nothing}
    ${v ? settingsCard(state, a) : nothing}
    ${v && !blocked ? startRow(state, a) : nothing}
  `;
}

/** Models another tab holds: loading here too needs their memory again (each tab plans as if it were alone). */
function elsewhereNotice(state: DemoState): TemplateResult | typeof nothing {
  const others = state.modelsElsewhere;
  if (!others.length || (state.session && state.session.kind !== 'simulation')) return nothing;
  const where = (kind: 'webgpu' | 'wasm') => (kind === 'wasm' ? 'on the CPU' : 'on the GPU');
  const list = others.map((o) => `${o.models.join(', ')} (${where(o.kind)})`).join('; ');
  return html`<p class="notice notice--warn" role="status" data-testid="models-elsewhere">
    Models are already loaded in another tab of this demo: ${list}. Loading models here too needs that memory a second
    time, which may not fit: use that tab, or close it before you start here.
  </p>`;
}

function verdictCard(state: DemoState): TemplateResult {
  const v = state.verdict;
  if (!v) {
    return html`<section class="card verdict" data-level="checking" aria-busy="true" data-testid="verdict">
      <div class="verdict-icon">${icons.spinner}</div>
      <div class="verdict-body"><span class="verdict-label">Device check</span><h2>Checking what this browser can run…</h2></div>
    </section>`;
  }
  const icon = v.level === 'ready' ? icons.check : v.level === 'slow' ? icons.warn : icons.block;
  return html`<section class="card verdict" data-level=${v.level} data-testid="verdict" aria-labelledby="verdict-title">
    <div class="verdict-icon">${icon}</div>
    <div class="verdict-body">
      <span class="verdict-label">Device check</span>
      <h2 id="verdict-title">${v.title}</h2>
      <p>${v.detail}</p>
    </div>
    <ul class="checks" aria-label="Checks">
      ${v.checks.map(
        (c) => html`<li class="check" data-ok=${String(c.ok)}>
          ${c.ok === true ? icons.check : c.ok === 'warn' ? icons.warn : icons.cross}
          <div><b>${c.label}</b><span>${c.value}</span></div>
        </li>`,
      )}
    </ul>
    ${v.level === 'blocked' ? browserList() : nothing}
  </section>`;
}

function browserList(): TemplateResult {
  return html`<ul class="browsers" aria-label="Browsers that run the models" data-testid="browsers">
    <li><b>Chrome or Edge 113+</b><span class="muted">Windows, macOS, ChromeOS, Linux (may need a flag on Linux)</span></li>
    <li><b>Chrome 121+ on Android</b><span class="muted">recent phones with 6 GB+ memory</span></li>
    <li><b>Safari 26+</b><span class="muted">macOS, iOS and iPadOS</span></li>
    <li><b>Firefox</b><span class="muted">141+ on Windows; elsewhere best-effort</span></li>
  </ul>`;
}

function simulationCard(state: DemoState, a: SetupActions): TemplateResult {
  return html`<section class="card" aria-labelledby="sim-title" data-testid="simulation-offer">
    <div class="section-head">
      <h2 id="sim-title">Try it anyway: simulation mode</h2>
      <span class="badge badge--sim">${icons.flask} Simulation</span>
    </div>
    <p class="muted">
      The real protocol and the real interface run with three <b>scripted agents</b> instead of models: you see every
      proposal, every critique and the early stop exactly as they happen with models, and what each mode costs. The
      answers are written in advance, so they are examples, not model output.
    </p>
    <div class="start-row mt-lg">
      <button class="btn btn--sim" data-testid="start-simulation" @click=${a.startSimulation}>${icons.flask}
        <span class="btn-stack"><span>Start the simulation</span><span class="btn-sub">simulated agents, no model is running</span></span></button>
      ${speedSelect(state, a)}
    </div>
  </section>`;
}

/** Without a usable GPU: real models anyway, on the CPU (llama.cpp in WebAssembly), with their download sizes. */
function wasmCard(state: DemoState, a: SetupActions): TemplateResult {
  const picked = state.wasmModels;
  const download = wasmDownloadBytes(picked.filter((id) => !id.startsWith('own:')));
  // Decimal MB, as Hugging Face lists the files.
  const mb = (bytes: number) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${Math.round(bytes / 1e6)} MB`);
  return html`<section class="card" aria-labelledby="wasm-title" data-testid="wasm-offer">
    <div class="section-head">
      <h2 id="wasm-title">Run real models on the CPU instead</h2>
      <span class="badge">WebAssembly</span>
    </div>
    <p class="muted">
      Small GGUF models run with <b>llama.cpp compiled to WebAssembly</b>, on this device's processor: real answers, no
      GPU needed, slower than a GPU (each model gets one core's share). They download once from Hugging Face and stay
      cached in this browser; after that, nothing leaves the device.
    </p>
    <div class="picker-list mt-md" role="group" aria-label="Models for the CPU">
      ${WASM_MODEL_CATALOG.map(
        (m) => html`<label class="picker-row" data-testid=${`wasm-model-${m.id}`}>
          <input type="checkbox" .checked=${picked.includes(m.id)} @change=${() => a.toggleWasmModel(m.id)} />
          <span class="id">${m.name} <code>${m.quantization}</code></span>
          <span class="nums">${mb(m.approxBytes)} download · ${m.license}</span>
        </label>`,
      )}
      ${state.ownModels.map(
        (m) => html`<div class="picker-row picker-row--own" data-testid="own-model">
          <input type="checkbox" id="pick-${m.id}" .checked=${picked.includes(m.id)} @change=${() => a.toggleWasmModel(m.id)} />
          <label class="id" for="pick-${m.id}">${m.name} <span class="badge">${typeof m.source === 'string' ? 'URL' : 'file'}</span></label>
          <span class="nums">${m.bytes !== undefined ? `${mb(m.bytes)} · on this device` : 'size shown when it downloads'} · ${m.license ? `licence: ${m.license}` : 'no licence in its metadata'}
            <button class="btn btn--ghost btn--small" aria-label=${`Remove ${m.name}`} @click=${() => a.removeOwnModel(m.id)}>${icons.trash}</button></span>
        </div>`,
      )}
    </div>
    ${ownModelForm(state, a)}
    <div class="start-row mt-lg">
      <button class="btn btn--primary" data-testid="start-wasm" ?disabled=${!picked.length || !!state.starting} @click=${a.startWasm}>
        ${icons.download} ${picked.length ? `Download ≈ ${mb(download)} and run on the CPU` : 'Pick at least one model'}
      </button>
      <p class="note" data-testid="wasm-summary">
        ${picked.length
          ? `${picked.length} model${picked.length > 1 ? 's' : ''}, ≈ ${mb(download)} on the first visit; the largest one aggregates.`
          : 'Pick 1 to 4 models.'}
      </p>
    </div>
    ${state.startKind === 'wasm' && state.starting ? loadingProgress(state.starting, a) : nothing}
    ${state.startKind === 'wasm' && state.startError ? startErrorView(state.startError, a.startWasm) : nothing}
  </section>`;
}

function speedSelect(state: DemoState, a: SetupActions): TemplateResult {
  return html`<label class="speed-field">
    <span class="small muted">Simulated speed</span>
    <select data-testid="sim-speed" .value=${state.simSpeed} @change=${(e: Event) => a.setSimSpeed((e.target as HTMLSelectElement).value as SimulationSpeed)}>
      ${SIMULATION_SPEEDS.map((s) => html`<option value=${s.id} ?selected=${s.id === state.simSpeed}>${s.label}</option>`)}
    </select>
  </label>`;
}

function ensembleSection(state: DemoState, a: SetupActions): TemplateResult {
  const precision = state.verdict?.precision ?? 'f32';
  const custom = state.choice.kind === 'custom';
  return html`<section aria-labelledby="ensemble-title">
    <div class="section-head">
      <h2 id="ensemble-title">Choose an ensemble</h2>
      <p>${precision === 'f32' ? 'f32 builds, because this GPU has no shader-f16.' : 'f16 builds: the smallest download.'} Models download once and stay cached.</p>
    </div>
    <div class="presets" role="radiogroup" aria-label="Ensemble presets">
      ${state.presets.map((p) => presetCard(p, state, a))}
      <button class="preset preset--custom" role="radio" aria-checked=${String(custom)} data-testid="preset-custom" @click=${a.chooseCustom}>
        <span class="preset-name">Custom</span>
        <p class="preset-blurb">Pick 1–${MAX_CUSTOM_MODELS} of WebLLM’s prebuilt models, filtered to what this device can run.</p>
        <span class="badge">${custom ? 'selected' : 'choose models'}</span>
      </button>
    </div>
    ${custom ? customPicker(state, a) : nothing}
  </section>`;
}

function presetCard(p: ResolvedPreset, state: DemoState, a: SetupActions): TemplateResult {
  const checked = state.choice.kind === 'preset' && state.choice.id === p.id;
  const recommended = state.recommended === p.id;
  return html`<button class="preset" role="radio" aria-checked=${String(checked)} aria-disabled=${String(!!p.blocked)}
      data-testid=${`preset-${p.id}`} @click=${() => !p.blocked && a.choosePreset(p.id)}>
    <div class="preset-top">
      <span class="preset-name">${p.name}</span>
      ${recommended ? html`<span class="badge badge--accent" data-testid="recommended">Recommended · ${p.precision}</span>` : html`<span class="badge">${p.precision}</span>`}
    </div>
    <p class="preset-blurb">${p.blurb}</p>
    <div class="preset-figures">
      <div class="figure"><b>≈ ${formatMB(p.downloadMB)}</b><span>download, once</span></div>
      <div class="figure"><b>${formatMB(p.memoryMB)}</b><span>GPU memory, all loaded</span></div>
    </div>
    <ul class="preset-models">
      ${p.models.map((m, i) => html`<li>${shortName(m.id)}${i === 0 ? html` <span class="badge">aggregator</span>` : nothing} <code>${m.quantization}</code></li>`)}
    </ul>
    ${p.blocked ? html`<p class="preset-note">Cannot run here: ${p.blocked}.</p>` : p.swaps ? html`<p class="preset-note">More than this device’s memory budget: models will be swapped in and out (slower).</p>` : nothing}
  </button>`;
}

function customPicker(state: DemoState, a: SetupActions): TemplateResult {
  const f16 = state.verdict?.precision === 'f16';
  const budget = state.budgetMB;
  const catalog = state.catalog;
  const all = catalog?.pickable({ f16, memoryBudgetMB: budget }) ?? [];
  const q = state.pickerQuery.trim().toLowerCase();
  const shown = q ? all.filter((m) => m.id.toLowerCase().includes(q)) : all;
  const chosen = state.choice.kind === 'custom' ? state.choice.models : [];
  const models = chosenInfo(state);
  const download = models.reduce((n, m) => n + m.downloadMB, 0);
  const memory = models.reduce((n, m) => n + m.vramMB, 0);
  const noF16 = f16 ? 0 : (catalog?.pickable({ f16: true, memoryBudgetMB: budget }).length ?? 0) - all.length;
  const tooBig = (catalog?.pickable({ f16 }).length ?? 0) - all.length;
  const hiddenText = [noF16 > 0 ? `${noF16} f16-only builds hidden (no shader-f16)` : '', tooBig > 0 ? `${tooBig} above the ${formatMB(budget ?? 0)} memory budget hidden` : ''].filter(Boolean).join(' · ');
  return html`<div class="card picker mt-md" data-testid="custom-picker">
    <div class="picker-toolbar">
      <input type="search" placeholder="Filter models, e.g. qwen, llama, 1.5B" aria-label="Filter models"
        .value=${state.pickerQuery} @input=${(e: Event) => a.setPickerQuery((e.target as HTMLInputElement).value)} />
      <span class="small muted">${shown.length} of ${all.length} models${hiddenText ? ` · ${hiddenText}` : ''}</span>
    </div>
    <div class="picker-list" role="group" aria-label="Models">
      ${shown.map((m) => {
        const on = chosen.includes(m.id);
        const full = !on && chosen.length >= MAX_CUSTOM_MODELS;
        return html`<label class="picker-row">
          <input type="checkbox" .checked=${on} ?disabled=${full} @change=${() => a.toggleModel(m.id)} />
          <span class="id">${m.id}</span>
          <span class="nums">≈ ${formatMB(m.downloadMB)} · ${formatMB(m.vramMB)} · ${m.contextWindow / 1024}k ctx</span>
        </label>`;
      })}
    </div>
    <p class="picker-summary" data-testid="custom-summary">
      ${models.length
        ? html`<b>${models.length} model${models.length > 1 ? 's' : ''}</b> · ≈ ${formatMB(download)} download · ${formatMB(memory)} GPU memory when all are loaded`
        : html`<span class="muted">Pick 1 to ${MAX_CUSTOM_MODELS} models. Sizes: download (estimated from parameters) · GPU memory (WebLLM’s figure).</span>`}
    </p>
  </div>`;
}

function settingsCard(state: DemoState, a: SetupActions): TemplateResult {
  const s = state.settings;
  const blocked = state.verdict?.level === 'blocked';
  const names = blocked ? SIMULATED_AGENT_NAMES.slice(0, 3) : chosenModels(state).map(shortName);
  const aggIndex = aggregatorIndex(state, names.length);
  const topo = TOPOLOGIES.find((t) => t.id === s.attention)!;
  const stop = EARLY_STOPS.find((t) => t.id === s.earlyStop)!;
  return html`<details class="card" data-testid="settings">
    <summary>
      <span>Protocol settings</span>
      <span class="summary-line">aggregator ${names[aggIndex] ?? '—'} · up to ${s.layers} layer${s.layers > 1 ? 's' : ''} · attention ${topo.label.toLowerCase()} · early stop ${stop.label.toLowerCase()}</span>
    </summary>
    <div class="settings-grid">
      <div class="field">
        <label for="set-agg">Aggregator</label>
        <select id="set-agg" @change=${(e: Event) => a.setAggregator(Number((e.target as HTMLSelectElement).value))}>
          ${names.map((n, i) => html`<option value=${i} ?selected=${i === aggIndex}>${n}</option>`)}
        </select>
        <span class="hint">Writes the final answer; it shares its model with that agent.</span>
      </div>
      <div class="field">
        <label for="set-layers">Layers (maximum)</label>
        <select id="set-layers" @change=${(e: Event) => a.setSettings({ layers: Number((e.target as HTMLSelectElement).value) })}>
          ${[1, 2, 3, 4].map((n) => html`<option value=${n} ?selected=${n === s.layers}>${n}</option>`)}
        </select>
        <span class="hint">Each layer: propose, critique, refine, aggregate. From layer 2 on, the residual step may stop early.</span>
      </div>
      <div class="field">
        <label for="set-topo">Attention topology</label>
        <select id="set-topo" @change=${(e: Event) => a.setSettings({ attention: (e.target as HTMLSelectElement).value as ProtocolSettings['attention'] })}>
          ${TOPOLOGIES.map((t) => html`<option value=${t.id} ?selected=${t.id === s.attention}>${t.label}</option>`)}
        </select>
        <span class="hint">${topo.explain}</span>
      </div>
      ${blocked
        ? nothing
        : html`<div class="field">
            <label for="set-budget">GPU memory budget</label>
            <select id="set-budget" @change=${(e: Event) => {
              const v = (e.target as HTMLSelectElement).value;
              a.setMemoryBudget(v === 'auto' ? undefined : Number(v));
            }}>
              <option value="auto" ?selected=${state.memoryBudgetMB === undefined}>Automatic (${formatMB(state.defaultBudgetMB)})</option>
              ${[2048, 3072, 4096, 6144, 8192, 12288, 16384].map((mb) => html`<option value=${mb} ?selected=${state.memoryBudgetMB === mb}>${formatMB(mb)}</option>`)}
            </select>
            <span class="hint">WebGPU cannot tell how much memory the GPU has. Models that do not fit together are swapped in and out (slower).</span>
          </div>`}
      <div class="field">
        <label for="set-stop">Early stop</label>
        <select id="set-stop" @change=${(e: Event) => a.setSettings({ earlyStop: (e.target as HTMLSelectElement).value as ProtocolSettings['earlyStop'] })}>
          ${EARLY_STOPS.map((t) => html`<option value=${t.id} ?selected=${t.id === s.earlyStop}>${t.label}</option>`)}
        </select>
        <span class="hint">${stop.explain}</span>
      </div>
    </div>
  </details>`;
}

function startRow(state: DemoState, a: SetupActions): TemplateResult {
  const models = chosenInfo(state);
  const download = models.reduce((n, m) => n + m.downloadMB, 0);
  const slow = state.verdict?.level === 'slow';
  const none = models.length === 0;
  return html`<section class="card" aria-label="Start">
    <div class="start-row">
      <button class="btn btn--primary" data-testid="start-models" ?disabled=${none || !!state.starting} @click=${a.startModels}>
        ${icons.download} ${none ? 'Pick at least one model' : `Download ≈ ${formatMB(download)} and start`}
      </button>
      ${slow ? html`<p class="note">On a software renderer, real models answer at a few tokens per second; the simulation (above) runs the same protocol at GPU speed.</p>` : nothing}
    </div>
    ${state.startKind !== 'wasm' && state.starting ? loadingProgress(state.starting, a) : nothing}
    ${state.startKind !== 'wasm' && state.startError ? startErrorView(state.startError, a.startModels) : nothing}
  </section>`;
}

/** Add a GGUF model: a URL, or a file from this device (its header is read here: name, licence, size). */
function ownModelForm(state: DemoState, a: SetupActions): TemplateResult {
  const onFile = (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) a.addOwnModelFile(file);
  };
  return html`<details class="own-models mt-md" data-testid="own-models" ?open=${state.ownModels.length > 0 || !!state.ownModelError}>
    <summary class="small">Add your own GGUF model (a URL or a file)</summary>
    <form class="own-form" @submit=${(e: Event) => {
      e.preventDefault();
      const form = e.target as HTMLFormElement;
      a.addOwnModelUrl(String(new FormData(form).get('url') ?? ''));
      form.reset();
    }}>
      <label class="field"><span>URL of a .gguf file</span>
        <input type="url" name="url" required data-testid="own-model-url" placeholder="https://huggingface.co/…/resolve/main/model.gguf" /></label>
      <button class="btn btn--small" type="submit">Add</button>
      <label class="btn btn--small own-file">${icons.upload} Pick a .gguf file…
        <input type="file" class="visually-hidden" accept=".gguf" data-testid="own-model-file" @change=${onFile} /></label>
    </form>
    ${state.ownModelBusy ? html`<p class="small muted" role="status">Reading the file's header…</p>` : nothing}
    ${state.ownModelError ? html`<p class="notice notice--bad" role="alert" data-testid="own-model-error">${state.ownModelError}</p>` : nothing}
    <p class="small muted">A picked file is used from this device (no download) for this visit: pick it again next time; a URL downloads once, is cached, and stays in this list on your next visit. The model runs only if llama.cpp knows its architecture; small instruct models (≤ 1 B) answer in reasonable time.</p>
  </details>`;
}

/** A failed start: what went wrong, and a button to try again (the files already downloaded stay cached). */
function startErrorView(text: string, retry: () => void): TemplateResult {
  return html`<div class="notice notice--bad mt-lg start-error" role="alert">
    <p data-testid="start-error">${text}</p>
    <button class="btn btn--small mt-sm" data-testid="retry-start" @click=${retry}>Try again</button>
  </div>`;
}

/** The simulation one click from the top of the page: nothing to download, to see the protocol and the interface. */
function quickSimulation(state: DemoState, a: SetupActions): TemplateResult {
  return html`<section class="card card--quick" aria-labelledby="quick-sim-title" data-testid="simulation-offer">
    <h2 id="quick-sim-title" class="visually-hidden">Try without downloading</h2>
    <div class="start-row">
      <button class="btn btn--sim" data-testid="start-simulation" @click=${a.startSimulation}>${icons.flask} Try the simulation</button>
      ${speedSelect(state, a)}
      <p class="note">Nothing to download: the real protocol and interface with scripted agents (no model is running). Or choose real models below.</p>
    </div>
  </section>`;
}

function loadingProgress(p: NonNullable<DemoState['starting']>, a: SetupActions): TemplateResult {
  return html`<div class="loading" role="status" aria-live="polite" data-testid="loading">
    <div class="loading-head"><p class="small"><b>${p.text}</b></p><button class="btn btn--small" @click=${a.cancelStart}>Cancel</button></div>
    ${p.progress !== undefined ? html`<div class="meter"><span ${cssProps({ width: `${Math.round(p.progress * 100)}%` })}></span></div>` : nothing}
    <ul class="loading-models">
      ${p.models.map((m) => html`<li data-state=${m.state}>
        <span class="id">${m.model}</span><span class="small muted">${m.text}</span>
        <div class="meter meter--thin"><span ${cssProps({ width: `${Math.round(m.fraction * 100)}%` })}></span></div>
      </li>`)}
    </ul>
  </div>`;
}

export type { EnsembleChoice };
