/**
 * "How this answer was made": per-agent token counts and speed, then a timeline of layers, each with one card per
 * agent (proposal, the critiques it wrote, its refined answer), the layer's attention map, and the aggregate /
 * residual step with the early-stop decision. Lives inside a <details> so the final answer stays the focus.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { OffDevice } from '@attention-moa/core';
import { repeat } from 'lit/directives/repeat.js';
import { agentStats, callText, wasCut, type CallView, type LayerView, type RunView } from './view-model.js';
import { attentionMapTemplate, type MapSelection } from './attention-map.js';
import { markdown } from './markdown/markdown-directive.js';
import { formatRate, plural } from './format.js';

export interface DetailsContext {
  now: number;
  simulated: boolean;
  /** Agents (and the aggregator) whose prompts leave this browser, by name. */
  offDevice?: ReadonlyMap<string, OffDevice>;
  idPrefix: string;
  selection(layer: number): MapSelection | undefined;
  onSelect(layer: number, selection: MapSelection | undefined): void;
  copy(text: string): Promise<void>;
  /** The element's `math` setting. */
  math: boolean;
}

/** "the judge answered…" → "The judge answered….": the protocol's reasons are clauses; the UI shows sentences. */
export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  return `${t[0]!.toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}`;
}

export const simulatedBadge = () =>
  html`<span class="badge simulated" part="badge" title="Scripted replies for testing and demos, not written by a language model">simulated</span>`;

/** Marks an agent that runs off this browser; `where` names the server. */
export const offDeviceBadge = (where?: OffDevice) =>
  html`<span class="badge off-device" part="off-device-badge" title=${where ? `Runs on the server at ${where.host}: its prompts leave this browser${where.loopback ? ' (for a server on this computer)' : ' and this device'}` : 'Some agents run on servers: their prompts leave this browser'}>${where ? `on ${where.host}` : 'not all on this device'}</span>`;

/** The plain statement that the privacy promise does not hold for the agents on servers. */
export function offDeviceNotice(remote: ReadonlyMap<string, OffDevice>, localAgents: number): TemplateResult {
  const entries = [...remote];
  const everyLoopback = entries.every(([, w]) => w.loopback);
  return html`<p class="off-device-notice" part="off-device-notice" role="note">
    <strong>Not everything stays on this device.</strong>
    ${entries.map(([name, w], i) => html`${i ? '; ' : ''}<strong>${name}</strong> runs on the server at ${w.host}`)}.
    Your questions, the conversation and, when ${entries.length === 1 ? 'it critiques or aggregates' : 'they critique or aggregate'}, the other agents' answers are sent there${everyLoopback ? ' (a server on this computer, outside the browser)' : ''}, so the promise that nothing leaves this device does not hold for ${entries.length === 1 ? 'that agent' : 'those agents'}.${localAgents ? ` The other ${localAgents === 1 ? 'agent runs' : 'agents run'} in this browser.` : ''}
  </p>`;
}

const STATUS_TEXT: Record<CallView['status'], string> = { streaming: 'writing…', done: 'done', failed: 'failed', stopped: 'stopped' };

function tokensOf(call: CallView): number {
  return call.record?.usage?.completion_tokens ?? call.tokens;
}

/** The visible mark of an answer that stopped at its token limit, not because the model finished. */
export function cutMark(maxTokens: number | undefined): TemplateResult {
  return html`<p class="note cut-mark" part="cut-mark">Cut at the token limit${maxTokens ? ` (${plural(maxTokens, 'token')})` : ''}: the model had more to say.</p>`;
}

/**
 * The protocol's role check on a finished call (`CallRecord.roleCheck`): what the model did instead of its task
 * ("Not a critique: …") and what the protocol did about it ("Not passed on to the refinement."). One short line.
 */
export function roleCheckText(call: CallView): string {
  const check = call.record?.roleCheck;
  if (!check) return '';
  return [...check.problems.map((p) => sentence(p.note)), ...(check.action ? [sentence(check.action)] : [])].join(' ');
}

function callBody(call: CallView | undefined, ctx: DetailsContext, emptyText = 'Waiting…'): TemplateResult {
  if (!call) return html`<p class="muted">${emptyText}</p>`;
  const text = callText(call);
  return html`
    ${call.cuts.length
      ? html`<p class="note">Shortened to fit the context window: ${call.cuts.map((c) => `${c.part} (${c.originalTokens} → ${c.keptTokens} tokens)`).join('; ')}</p>`
      : nothing}
    ${text === '' && call.status === 'streaming' ? html`<p class="muted">${call.output ? 'Thinking…' : 'Waiting for the first token…'}</p>` : nothing}
    <div class="md" ${markdown(text, { final: call.status !== 'streaming', copy: ctx.copy, headingBase: 6, math: ctx.math })}></div>
    ${wasCut(call) ? cutMark(call.record?.maxTokens) : nothing}
    ${call.record?.error ? html`<p class="note error-text">Failed: ${call.record.error.name}: ${call.record.error.message}</p>` : nothing}
    ${call.record?.roleCheck ? html`<p class="note role-check">${roleCheckText(call)}</p>` : nothing}
  `;
}

function agentCard(view: RunView, layer: LayerView, agent: string, ctx: DetailsContext): TemplateResult {
  const propose = layer.propose[agent] !== undefined ? view.calls[layer.propose[agent]!] : undefined;
  const refine = layer.refine[agent] !== undefined ? view.calls[layer.refine[agent]!] : undefined;
  const critiques = Object.entries(layer.critique[agent] ?? {}).map(([, id]) => view.calls[id]!).filter(Boolean);
  const calls = [propose, ...critiques, refine].filter((c): c is CallView => c !== undefined);
  const tokens = calls.reduce((n, c) => n + tokensOf(c), 0);
  const active = calls.find((c) => c.status === 'streaming');
  const dropped = view.dropped.find((d) => d.agent === agent && d.layer <= layer.layer);
  const headingId = `${ctx.idPrefix}-${layer.layer}-${agent}`.replace(/[^\w-]/g, '_');
  return html`
    <article class="card" part="agent-card" aria-labelledby=${headingId} data-agent=${agent}>
      <header class="card-head">
        <h5 id=${headingId}>${agent}</h5>
        ${ctx.simulated ? simulatedBadge() : nothing}
        ${ctx.offDevice?.get(agent) ? offDeviceBadge(ctx.offDevice.get(agent)) : nothing}
        <span class="muted card-meta">${active ? `${active.role === 'critique' ? 'critiquing' : active.role === 'refine' ? 'refining' : 'proposing'}…` : dropped ? 'dropped' : refine?.status === 'done' ? 'done' : ''} · ${plural(tokens, 'token')}</span>
      </header>
      ${dropped ? html`<p class="note error-text">Dropped from the run at layer ${dropped.layer} (${dropped.role}): ${dropped.reason}</p>` : nothing}
      <h6>Proposal</h6>
      ${callBody(propose, ctx)}
      <details class="critiques">
        <summary>Critiques written (${critiques.length})</summary>
        ${critiques.length
          ? html`<ul>
              ${critiques.map(
                (c) => html`<li>
                  <strong>${c.target === agent ? 'Self-critique' : `On ${c.target}`}</strong>
                  <span class="muted">· ${STATUS_TEXT[c.status]} · ${plural(tokensOf(c), 'token')}</span>
                  ${callBody(c, ctx)}
                </li>`,
              )}
            </ul>`
          : html`<p class="muted">None yet.</p>`}
      </details>
      <h6>Refined answer</h6>
      ${callBody(refine, ctx, critiques.length ? 'Waiting for the critiques…' : 'Waiting…')}
    </article>
  `;
}

function synthesis(view: RunView, layer: LayerView, ctx: DetailsContext): TemplateResult {
  const aggregate = layer.aggregate !== undefined ? view.calls[layer.aggregate] : undefined;
  const residual = layer.residual !== undefined ? view.calls[layer.residual] : undefined;
  return html`
    <section class="synthesis" part="synthesis" aria-label="Layer ${layer.layer} synthesis">
      <h5>Aggregate <span class="muted">by ${aggregate?.agent ?? view.aggregator ?? 'the aggregator'}</span> ${ctx.simulated ? simulatedBadge() : nothing} ${ctx.offDevice?.get(aggregate?.agent ?? view.aggregator ?? '') ? offDeviceBadge(ctx.offDevice.get(aggregate?.agent ?? view.aggregator ?? '')) : nothing}</h5>
      ${callBody(aggregate, ctx, 'Waiting for the refined answers…')}
      ${residual || layer.layer > 1
        ? html`<h5>Residual synthesis and early-stop check</h5>
            ${callBody(residual, ctx, 'Waiting for the aggregate…')}`
        : nothing}
      ${layer.earlyStop
        ? html`<p class="notice" part="early-stop"><strong>Stopped early after layer ${layer.layer}.</strong> ${sentence(layer.earlyStop.reason)}</p>`
        : layer.output !== undefined
          ? html`<p class="muted">Layer output: the ${layer.source === 'residual' ? 'residual synthesis' : 'aggregate'}.</p>`
          : nothing}
    </section>
  `;
}

export function statsTemplate(view: RunView, ctx: DetailsContext): TemplateResult {
  const stats = agentStats(view, ctx.now);
  return html`
    <div class="table-scroll">
    <table class="stats" part="stats">
      <caption>Tokens and speed per model</caption>
      <thead><tr><th scope="col">Agent</th><th scope="col">Calls</th><th scope="col">Tokens out</th><th scope="col">Speed</th></tr></thead>
      <tbody>
        ${stats.map(
          (s) => html`<tr>
            <th scope="row">${s.agent}${s.agent === view.aggregator && !/aggregator/i.test(s.agent) ? html` <span class="muted">(aggregator)</span>` : nothing}</th>
            <td>${s.calls}</td><td>${s.completionTokens}</td><td>${formatRate(s.tokensPerSecond)}</td>
          </tr>`,
        )}
      </tbody>
    </table>
    </div>
  `;
}

export function layersTemplate(view: RunView, ctx: DetailsContext): TemplateResult {
  return html`${repeat(
    view.layers,
    (l) => l.layer,
    (layer) => html`
      <section class="layer" part="layer" aria-labelledby="${ctx.idPrefix}-layer-${layer.layer}">
        <h4 id="${ctx.idPrefix}-layer-${layer.layer}">Layer ${layer.layer}${view.plan ? html` <span class="muted">of ${view.plan.layers}</span>` : nothing}</h4>
        <div class="cards">${view.agents.map((agent) => agentCard(view, layer, agent, ctx))}</div>
        ${view.agents.length
          ? attentionMapTemplate(view, layer, {
              idPrefix: `${ctx.idPrefix}-map-${layer.layer}`,
              selected: ctx.selection(layer.layer),
              onSelect: (s) => ctx.onSelect(layer.layer, s),
              copy: ctx.copy,
              math: ctx.math,
            })
          : nothing}
        ${synthesis(view, layer, ctx)}
      </section>
    `,
  )}`;
}
