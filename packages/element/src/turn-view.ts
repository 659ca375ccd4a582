/**
 * One turn of the conversation as the element shows it: the question, the streamed answer, the notices (early
 * stop, aggregator fallback, dropped agents), the status line and the "How this answer was made" details. A pure
 * template: the element passes the view and its UI state (open details, map selection, copy feedback) in.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { activeCalls, answerArea, answerCall, wasCut, type AnswerArea, type CallView, type DraftView, type RunView } from './view-model.js';
import { cutMark, layersTemplate, sentence, simulatedBadge, statsTemplate, type DetailsContext } from './run-details.js';
import { markdown } from './markdown/markdown-directive.js';
import { holdHeight } from './hold-height.js';
import { formatDuration, plural } from './format.js';

export interface TurnContext {
  /** Unique id prefix for this turn's elements. */
  id: string;
  /** The turn being answered now (its answer region is a live region). */
  current: boolean;
  simulated: boolean;
  /** The element's `compact` attribute: no details section. */
  compact: boolean;
  /** The element's `drafts` setting: show the run's drafts until the final answer replaces them. */
  drafts: boolean;
  /** The element's `math` setting: formulas in answers are rendered. */
  math: boolean;
  /** The details section is open. */
  open: boolean;
  /** "Copied ✓" shows on the copy button. */
  copied: boolean;
  details: DetailsContext;
  copy(text: string): Promise<void>;
  onCopyAnswer(): void;
  onToggleDetails(event: Event): void;
  /** Put this turn's question back in the prompt box to edit and send again (absent: no Edit button). */
  onEdit?: () => void;
  /** Ask the same question again, replacing this answer (absent: no Regenerate button). */
  onRegenerate?: () => void;
}

const ROLE_DOING: Record<CallView['role'], string> = {
  propose: 'proposing answers',
  critique: 'critiquing each other',
  refine: 'refining',
  aggregate: 'aggregating',
  residual: 'checking for improvement',
};

export function turnTemplate(view: RunView, ctx: TurnContext): TemplateResult {
  const { id, simulated } = ctx;
  const running = view.status === 'running';
  const area = answerArea(view, ctx.drafts);
  return html`
    <li class="turn">
      <div class="question" part="question"><span class="who">You</span>${view.question}</div>
      <div class="answer ${area.shows === 'draft' ? 'drafting' : ''}" part="answer">
        <div class="answer-head">
          <h3 id="${id}-answer">Answer ${simulated ? simulatedBadge() : nothing}</h3>
          ${view.answer && !running
            ? html`<button type="button" class="small" part="copy-button" @click=${ctx.onCopyAnswer}>${ctx.copied ? 'Copied ✓' : 'Copy answer'}</button>`
            : nothing}
        </div>
        ${draftNote(view, area)}
        <div class="answer-stack" ${holdHeight(running ? area.key : undefined)}>
          <div class="md" aria-labelledby="${id}-answer" role="region" aria-live=${ctx.current ? 'polite' : 'off'} aria-busy=${running ? 'true' : 'false'}
            ${markdown(area.shows === 'answer' ? view.answer : '', { final: !running, copy: ctx.copy, headingBase: 3, math: ctx.math })}></div>
          ${area.draft
            ? html`<div class="md draft" part="draft" ${markdown(area.draft.text, { final: area.draft.status !== 'streaming' || !running, copy: ctx.copy, headingBase: 3, math: ctx.math })}></div>`
            : nothing}
        </div>
        ${area.shows === 'none' ? html`<p class="placeholder">${answerPlaceholder(view)}</p>` : nothing}
        ${view.answer && !running && area.shows === 'answer' ? answerCutMark(view) : nothing}
      </div>
      ${view.earlyStop
        ? html`<p class="notice" part="early-stop"><strong>Stopped early after layer ${view.earlyStop.layer}${view.plan ? ` of ${view.plan.layers}` : ''}.</strong> ${sentence(view.earlyStop.reason)}</p>`
        : nothing}
      ${view.aggregatorFallback
        ? html`<p class="note">The aggregator ${view.aggregatorFallback.from} failed (${view.aggregatorFallback.reason}); ${view.aggregatorFallback.to} stood in.</p>`
        : nothing}
      ${view.dropped.length
        ? html`<p class="note dropped">${view.dropped.map((d) => `${d.agent} was dropped at layer ${d.layer} (${d.role}): ${sentence(d.reason)} `)}${view.status === 'error' ? '' : 'The answer comes from the other agents.'}</p>`
        : nothing}
      <p class="status-line" part="status">${statusLine(view)}</p>
      ${ctx.onEdit || ctx.onRegenerate
        ? html`<div class="turn-actions">
            ${ctx.onEdit ? html`<button type="button" class="small ghost" part="edit-button" @click=${ctx.onEdit}>Edit question</button>` : nothing}
            ${ctx.onRegenerate ? html`<button type="button" class="small ghost" part="regenerate-button" @click=${ctx.onRegenerate}>Regenerate</button>` : nothing}
          </div>`
        : nothing}
      ${ctx.compact || (!view.plan && !view.layers.length)
        ? nothing
        : html`<details class="details" part="details" ?open=${ctx.open} @toggle=${ctx.onToggleDetails}>
            <summary>How this answer was made <span class="muted">· ${summaryText(view)}</span></summary>
            ${ctx.open ? html`<div class="details-body">${statsTemplate(view, ctx.details)}${layersTemplate(view, ctx.details)}</div>` : nothing}
          </details>`}
    </li>
  `;
}

/** The question asked while the models load, before its run exists. */
export function pendingTurnTemplate(question: string, loading: boolean): TemplateResult {
  return html`<li class="turn">
    <div class="question" part="question"><span class="who">You</span>${question}</div>
    <p class="placeholder muted">${loading ? 'Waiting for the models to load…' : 'Starting…'}</p>
  </li>`;
}

/**
 * The line that says a draft is a draft: where it comes from, and that the ensemble is still working. Once the
 * answer replaces the draft (the run still going), it says so; its two texts share one box, so changing from one to
 * the other never moves the answer below it.
 */
function draftNote(view: RunView, area: AnswerArea): TemplateResult | typeof nothing {
  const running = view.status === 'running';
  const drafting = area.shows === 'draft';
  // After the answer replaced a draft, while it is still being written.
  const replacing = !drafting && running && area.shows === 'answer' && view.draft !== undefined;
  if (!drafting && !replacing) return nothing;
  const draft = (area.draft ?? view.draft)!;
  return html`<p class="draft-note" part="draft-label">
    <span class="${drafting ? '' : 'held'}" aria-hidden=${drafting ? 'false' : 'true'}>
      <span class="draft-chip">Draft</span> ${draftSource(draft)}${draft.status === 'failed' ? ' (cut short: its call failed)' : ''} — ${draftState(view)}
    </span>
    ${running
      ? html`<span class="${drafting ? 'held' : ''}" aria-hidden=${drafting ? 'true' : 'false'}><span class="draft-chip final">Final answer</span> being written in place of the draft.</span>`
      : nothing}
  </p>`;
}

function draftSource(draft: DraftView): string {
  const { role, layer, agent } = draft.source;
  if (role === 'propose') return `from ${agent}'s proposal`;
  if (role === 'aggregate') return `layer ${layer}'s synthesis, by ${agent}`;
  return `layer ${layer}'s improved synthesis, by ${agent}`;
}

function draftState(view: RunView): string {
  switch (view.status) {
    case 'running':
      return 'the ensemble is still working on the final answer.';
    case 'stopped':
      return 'stopped before the final answer.';
    case 'error':
      return 'the run failed before the final answer.';
    default:
      return 'the final answer replaces it.';
  }
}

/**
 * The cut mark under a finished answer: the call that wrote the final text stopped at its token limit. With a result
 * (a finished or restored turn) that call is the last trace record whose text is the answer (an early stop's answer
 * is an earlier aggregate, not the last call); while the view is still being built, the layer's answering call.
 */
function answerCutMark(view: RunView): TemplateResult | typeof nothing {
  const r = view.result;
  if (r) {
    const answer = r.answer.trim();
    const writer = answer ? [...r.trace].reverse().find((c) => !c.error && c.text.trim() === answer) : undefined;
    return writer && (writer.cut ?? writer.finishReason === 'length') ? cutMark(writer.maxTokens) : nothing;
  }
  const call = answerCall(view);
  return wasCut(call) ? cutMark(call!.record?.maxTokens) : nothing;
}

function answerPlaceholder(view: RunView): string {
  switch (view.status) {
    case 'running':
      return view.callOrder.length ? 'The agents are working on it; the answer appears here as it is written.' : 'Starting…';
    case 'stopped':
      return 'Stopped before an answer was ready.';
    case 'error':
      return 'No answer: see the message above.';
    default:
      return 'The answer was empty.';
  }
}

function summaryText(view: RunView): string {
  const layers = view.layers.length;
  const calls = view.callOrder.length;
  return `${plural(view.agents.length, 'agent')} · ${plural(layers, 'layer')} · ${plural(calls, 'call')}`;
}

export function statusLine(view: RunView): string {
  const finished = view.callOrder.filter((id) => view.calls[id]!.status !== 'streaming').length;
  const expected = view.plan?.expectedCalls;
  // With an early stop (or an agent dropped) a run makes fewer calls than planned: the plan is a ceiling.
  const ceiling = view.plan && view.plan.layers > 1 && view.plan.earlyStop !== 'off' ? 'up to ' : '';
  const calls = expected ? `${finished} of ${ceiling}${expected} calls done` : plural(finished, 'call') + ' done';
  if (view.status === 'running') {
    const active = activeCalls(view);
    const layer = view.layers.at(-1)?.layer ?? 1;
    const doing = active.length ? ROLE_DOING[active[active.length - 1]!.role] : 'starting';
    return `Layer ${layer}${view.plan ? ` of ${view.plan.layers}` : ''} · ${doing} · ${calls}`;
  }
  const seconds = view.endedAt !== undefined ? (view.endedAt - view.startedAt) / 1000 : undefined;
  const took = seconds !== undefined ? ` in ${formatDuration(seconds)}` : '';
  if (view.status === 'done') {
    const r = view.result;
    if (!r && !view.callOrder.length) return 'Done';
    const tokens = r ? ` · ${plural(r.usage.completionTokens, 'token')} written` : '';
    return `Done${took} · ${plural(r?.layersRun ?? view.layers.length, 'layer')} · ${plural(r?.usage.calls ?? finished, 'call')}${tokens}`;
  }
  if (view.status === 'stopped') return `Stopped${took} · ${calls}`;
  return `Failed${took} · ${calls}`;
}
