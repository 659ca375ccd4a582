/**
 * A layer's n × n attention map: cell (i, j) is agent i's critique of agent j's answer, the diagonal is
 * self-critique. Colour shows length, and so do the token count and a length bar in each cell (no colour-only
 * meaning); the diagonal is also hatched and says "self". Each cell is a button that opens the critique text.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { cssProps } from './css-props.js';
import { attentionMatrix, callText, critiquePlanned, critiqueStageOver, type AttentionCell, type LayerView, type RunView } from './view-model.js';
import { markdown } from './markdown/markdown-directive.js';

export interface MapSelection {
  critic: string;
  target: string;
}

export interface AttentionMapContext {
  /** Unique per layer and turn, for ids inside the shadow root. */
  idPrefix: string;
  selected: MapSelection | undefined;
  onSelect(selection: MapSelection | undefined): void;
  copy(text: string): Promise<void>;
  /** The element's `math` setting. */
  math: boolean;
}

/** Starts with the cell's visible text (a voice-control user says what they see), then says what it is. */
const EMPTY_TEXT: Record<EmptyCell, string> = {
  pending: 'not started yet',
  'not-planned': 'not part of this attention topology',
  'not-run': 'not run (the agent was dropped or the run ended)',
};

type EmptyCell = 'pending' | 'not-planned' | 'not-run';

function cellLabel(cell: AttentionCell, empty: EmptyCell): string {
  const who = cell.self ? `${cell.critic}'s self-critique` : `${cell.critic}'s critique of ${cell.target}`;
  if (!cell.call) return `${who}: ${EMPTY_TEXT[empty]}`;
  const state = cell.call.status === 'streaming' ? ', still writing' : cell.call.status === 'failed' ? ', failed' : cell.call.status === 'stopped' ? ', stopped' : '';
  return `${cell.tokens}${cell.self ? ' self' : ''}: ${who}, ${cell.tokens} tokens${state}`;
}

export function attentionMapTemplate(view: RunView, layer: LayerView, ctx: AttentionMapContext): TemplateResult {
  const matrix = attentionMatrix(view, layer);
  const stageOver = critiqueStageOver(view, layer);
  const panelId = `${ctx.idPrefix}-critique`;
  const sel = ctx.selected;
  const selectedCell = sel ? matrix.flat().find((c) => c.critic === sel.critic && c.target === sel.target && c.call) : undefined;
  const captionId = `${ctx.idPrefix}-caption`;
  return html`
    <figure class="map" part="attention-map">
      <figcaption id=${captionId}>
        <strong>Attention map, layer ${layer.layer}.</strong>
        Row: the critic. Column: the answer it critiqued. Number and bar: critique length in tokens (stronger colour: longer).
        Hatched cells marked “self”: self-critique. Select a cell to read the critique.
      </figcaption>
      <div class="map-scroll">
        <table aria-describedby=${captionId}>
          <thead>
            <tr>
              <th scope="col" class="corner"><span class="corner-label">critic ↓<br />answer →</span></th>
              ${view.agents.map((a) => html`<th scope="col" title=${a}><span class="name">${a}</span></th>`)}
            </tr>
          </thead>
          <tbody>
            ${matrix.map(
              (row) => html`<tr>
                <th scope="row" title=${row[0]?.critic ?? ''}><span class="name">${row[0]?.critic}</span></th>
                ${row.map((cell) => cellTemplate(cell, emptyKind(view, cell, stageOver), sel, panelId, ctx))}
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${selectedCell?.call
        ? html`<section class="critique" part="critique" id=${panelId} aria-labelledby="${panelId}-title">
            <div class="critique-head">
              <h6 id="${panelId}-title">
                ${selectedCell.self ? `${selectedCell.critic} on its own answer` : `${selectedCell.critic} on ${selectedCell.target}'s answer`}
                <span class="muted">(layer ${layer.layer}, ${selectedCell.tokens} tokens)</span>
              </h6>
              <button type="button" class="ghost" @click=${() => ctx.onSelect(undefined)}>Close critique</button>
            </div>
            <div class="md" ${markdown(callText(selectedCell.call), { final: selectedCell.call.status !== 'streaming', copy: ctx.copy, headingBase: 6, math: ctx.math })}></div>
          </section>`
        : nothing}
    </figure>
  `;
}

function emptyKind(view: RunView, cell: AttentionCell, stageOver: boolean): EmptyCell {
  if (!critiquePlanned(view, cell.critic, cell.target)) return 'not-planned';
  return stageOver ? 'not-run' : 'pending';
}

function cellTemplate(cell: AttentionCell, empty: EmptyCell, sel: MapSelection | undefined, panelId: string, ctx: AttentionMapContext): TemplateResult {
  const classes = `cell${cell.self ? ' self' : ''}${cell.call?.status === 'streaming' ? ' streaming' : ''}${cell.call?.status === 'failed' ? ' failed' : ''}`;
  if (!cell.call) {
    return html`<td><span class="${classes} empty" role="img" aria-label=${cellLabel(cell, empty)}>${empty === 'pending' ? '…' : '—'}</span></td>`;
  }
  const selected = sel?.critic === cell.critic && sel?.target === cell.target;
  const heat = Math.round(15 + cell.intensity * 85);
  return html`<td>
    <button
      type="button"
      class=${classes}
      ${cssProps({ '--heat': `${heat}%`, '--len': `${Math.max(4, Math.round(cell.intensity * 100))}%` })}
      aria-label=${cellLabel(cell, empty)}
      aria-expanded=${selected ? 'true' : 'false'}
      aria-controls=${selected ? panelId : nothing}
      data-critic=${cell.critic}
      data-target=${cell.target}
      @click=${() => ctx.onSelect(selected ? undefined : { critic: cell.critic, target: cell.target })}
    >
      <span class="count">${cell.tokens}</span>
      ${cell.self ? html`<span class="self-label">self</span>` : nothing}
      <span class="len" aria-hidden="true"></span>
    </button>
  </td>`;
}
