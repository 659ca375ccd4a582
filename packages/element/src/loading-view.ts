/** The model loading section: one bar per model with size, percent and ETA, and what the download costs once. */
import { html, type TemplateResult } from 'lit';
import { formatBytes, formatDuration, formatPercent } from './format.js';
import { totalDownloadBytes, type LoadingView, type ModelLoadView } from './loading-state.js';

function detail(m: ModelLoadView): string {
  const parts = [formatPercent(m.progress)];
  if (m.totalBytes !== undefined) parts.push(m.loadedBytes !== undefined ? `${formatBytes(m.loadedBytes)} of ${formatBytes(m.totalBytes)}` : formatBytes(m.totalBytes));
  if (m.done) parts.push('ready');
  else if (m.fromCache) parts.push('from this browser\'s cache');
  else if (m.etaSeconds !== undefined) parts.push(`${formatDuration(m.etaSeconds)} left`);
  return parts.join(' · ');
}

export function loadingTemplate(view: LoadingView, idPrefix: string, simulated = false): TemplateResult {
  const bytes = totalDownloadBytes(view);
  const allCached = view.downloadBytes === 0 || (view.models.length > 0 && view.models.every((m) => m.fromCache));
  return html`
    <section class="loading" part="loading" aria-labelledby="${idPrefix}-loading-title">
      <h3 id="${idPrefix}-loading-title">Loading ${view.models.length === 1 ? 'the model' : `${view.models.length} models`}</h3>
      <p class="download-note">
        ${simulated
          ? 'A simulated load (scripted engines stand in for the models): nothing is downloaded.'
          : allCached
          ? 'Loading from this browser\'s cache: no download needed.'
          : bytes !== undefined && bytes > 0
            ? html`Downloading <strong>${formatBytes(bytes)}</strong> once; cached in this browser for next time.`
            : 'Downloading the models once; they are cached in this browser for next time.'}
        Everything runs on this device.
      </p>
      ${(view.notes ?? []).map((note) => html`<p class="note">${note}</p>`)}
      <ul class="bars">
        ${view.models.map((m, i) => {
          const id = `${idPrefix}-load-${i}`;
          return html`<li part="progress" class=${m.done ? 'done' : ''}>
            <div class="bar-label"><span class="model" id="${id}-name">${m.model}</span><span class="muted" id="${id}-detail">${detail(m)}</span></div>
            <progress max="1" .value=${m.progress} aria-labelledby="${id}-name" aria-describedby="${id}-detail"></progress>
            ${m.text ? html`<div class="bar-text muted">${m.text}</div>` : ''}
          </li>`;
        })}
      </ul>
    </section>
  `;
}
