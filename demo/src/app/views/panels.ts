/** The two side panels: the model cache manager and the privacy panel. Rendered inside <dialog>s. */
import { html, nothing, type TemplateResult } from 'lit';
import { formatBytes } from '../../capability.js';
import type { NetworkMonitor } from '../../privacy/network-monitor.js';
import { cssProps } from '@attention-moa/element';
import { icons } from '../icons.js';
import type { DemoState } from '../state.js';

export interface PanelActions {
  closePanel(): void;
  refreshCache(): void;
  deleteModel(modelId: string): void;
  deleteAllModels(): void;
  requestPersistence(): void;
}

export function cachePanel(state: DemoState, a: PanelActions): TemplateResult {
  const c = state.cache;
  const s = c.storage;
  const used = s ? s.usage : undefined;
  const free = s ? Math.max(0, s.quota - s.usage) : undefined;
  const pct = s && s.quota > 0 ? Math.min(100, (s.usage / s.quota) * 100) : 0;
  const modelBytes = c.models.reduce((n, m) => n + m.sizeBytes, 0);
  return html`<div class="panel-head">
      <h2 id="cache-title">${icons.database} Models on this device</h2>
      <button class="btn btn--ghost btn--small" aria-label="Close" @click=${a.closePanel}>${icons.close}</button>
    </div>
    <div class="panel-body" data-testid="cache-panel">
      <p class="muted small">Model weights are kept in this browser’s IndexedDB after the first download, so the next visit starts without the network. Deleting a model frees the space; it downloads again when used.</p>
      <div class="kv">
        <div><b data-testid="storage-used">${used === undefined ? '—' : formatBytes(used)}</b><span>used by this site</span></div>
        <div><b data-testid="storage-free">${free === undefined ? '—' : formatBytes(free)}</b><span>free for this site</span></div>
        <div><b>${formatBytes(modelBytes)}</b><span>in cached models</span></div>
        <div><b data-testid="storage-persisted">${s === undefined ? 'unknown' : s.persisted ? 'persistent' : 'best-effort'}</b><span>storage mode</span></div>
      </div>
      ${s ? html`<div class="meter" role="img" aria-label=${`${pct.toFixed(1)} % of the quota used`}><span ${cssProps({ width: `${Math.max(pct, 0.5)}%` })}></span></div>` : nothing}
      ${c.notice ? html`<p class="notice notice--${c.notice.kind}" role="status" data-testid="cache-notice">${c.notice.text}</p>` : nothing}
      ${!c.loaded
        ? html`<p class="empty">${icons.spinner} Reading the cache…</p>`
        : c.models.length === 0
          ? html`<p class="empty" data-testid="cache-empty">No models stored on this device yet.</p>`
          : html`<div class="table-scroll"><table class="model-table" data-testid="cache-table">
              <thead><tr><th>Model</th><th class="num">Size</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
              <tbody>
                ${c.models.map(
                  (m) => html`<tr data-url=${m.modelUrl}>
                    <td><span class="id">${m.modelId}</span>${m.modelIds.length > 1 ? html`<br /><span class="small muted">also ${m.modelIds.filter((id) => id !== m.modelId).join(', ')}</span>` : nothing}
                      ${m.complete ? nothing : html`<br /><span class="badge badge--warn">partial download</span>`}
                      ${m.lastUsed ? html`<br /><span class="small muted">last used ${new Date(m.lastUsed).toLocaleDateString()}</span>` : nothing}</td>
                    <td class="num">${formatBytes(m.sizeBytes)}</td>
                    <td class="num"><button class="btn btn--small btn--danger" ?disabled=${c.busy} aria-label=${`Delete ${m.modelId}`} @click=${() => a.deleteModel(m.modelId)}>${icons.trash} Delete</button></td>
                  </tr>`,
                )}
              </tbody></table></div>`}
      <div class="conv-actions">
        <button class="btn btn--small" ?disabled=${c.busy} @click=${a.refreshCache}>Refresh</button>
        <button class="btn btn--small btn--danger" data-testid="delete-all-models" ?disabled=${c.busy || c.models.length === 0} @click=${a.deleteAllModels}>${icons.trash} Delete all</button>
        <button class="btn btn--small" data-testid="persist" ?disabled=${c.busy || s?.persisted === true} @click=${a.requestPersistence}>${icons.shield} ${s?.persisted ? 'Storage is persistent' : 'Keep models (persistent storage)'}</button>
      </div>
    </div>`;
}

export function privacyPanel(state: DemoState, monitor: NetworkMonitor, a: PanelActions): TemplateResult {
  const armed = monitor.armed;
  const n = monitor.count;
  const sim = state.session?.kind === 'simulation';
  const since = sim ? 'since the simulation started' : 'since the models finished loading';
  return html`<div class="panel-head">
      <h2 id="privacy-title">${icons.shield} Privacy</h2>
      <button class="btn btn--ghost btn--small" aria-label="Close" @click=${a.closePanel}>${icons.close}</button>
    </div>
    <div class="panel-body" data-testid="privacy-panel">
      <div class="privacy-count">
        <span class="big-count" data-testid="privacy-count" ?data-nonzero=${n > 0}>${armed ? n : '–'}</span>
        <p>${armed
          ? html`network request${n === 1 ? '' : 's'} made by this page ${since}.${n === 0 ? ' Your questions and the answers stay on this device.' : ''}`
          : html`Counting starts when the models are loaded (or the simulation starts). Before that, the page downloads the models once.`}</p>
      </div>
      ${n > 0 ? html`<div><p class="small"><b>Requests seen:</b></p><ol class="request-list">${monitor.requests.slice(-20).map((r) => html`<li>${r.url} <span class="muted">(${r.initiator}${r.sameOrigin ? ', this site' : ', another site'})</span></li>`)}</ol></div>` : nothing}
      <ul class="facts small">
        ${whereItRuns(state)}
        <li>No analytics, no external fonts or scripts, no cookies. Conversations are stored in this browser only; delete them from the sidebar.</li>
        <li>How it is counted: every resource the page fetches after the mark appears in the browser’s Resource Timing (PerformanceObserver). Requests made inside the model workers are in the workers’ own timelines; after loading, they fetch nothing.</li>
      </ul>
    </div>`;
}

/** Where the answers come from, in the words of the mode that is running (or of the choice on the setup screen). */
function whereItRuns(state: DemoState): TemplateResult {
  const kind = state.session?.kind ?? (state.verdict && state.verdict.level !== 'ready' ? 'wasm' : 'webgpu');
  if (kind === 'simulation') {
    return html`<li data-testid="privacy-where">No model is running: <b>simulated agents</b> answer with scripted replies, in this page. Nothing is downloaded, and questions never leave the browser.</li>
      <li>To run real models, go back to Setup: they download once and then run on this device.</li>`;
  }
  if (kind === 'wasm') {
    return html`<li data-testid="privacy-where">The models run in Web Workers on this device, on its <b>processor (CPU)</b> through WebAssembly (llama.cpp). Prompts, answers and the conversation history never leave the browser.</li>
      <li>The only downloads are this page and, once, the GGUF model files from Hugging Face. They are then cached in this browser (Cache API).</li>`;
  }
  return html`<li data-testid="privacy-where">The models run in Web Workers on this device, on its <b>GPU through WebGPU</b>. Prompts, answers and the conversation history never leave the browser.</li>
    <li>The only downloads are this page and, once, the model files (from Hugging Face and GitHub, as WebLLM publishes them). They are then cached in this browser’s IndexedDB.</li>`;
}
