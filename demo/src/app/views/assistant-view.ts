/**
 * The assistant screen around the <attention-moa> element: what answers (simulated or which models), the mode,
 * example prompts, the comparison of modes, and the conversation's export buttons. The element itself is passed in
 * as `slot`, so this view does not depend on how the element is built.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { shortName } from '../../catalog/model-catalog.js';
import { costOf, type Turn, type TurnRun } from '../../conversations/conversation.js';
import { RUN_MODES, type RunMode } from '../../run/modes.js';
import { SIMULATION_LABEL } from '../../simulation/simulated-agents.js';
import { EXAMPLE_PROMPTS } from '../../examples.js';
import { cssProps } from '@attention-moa/element';
import { icons } from '../icons.js';
import { plainText } from '../plain-text.js';
import type { DemoState } from '../state.js';
import { DEFAULT_SAMPLING, MAX_ANSWER_TOKENS, type SamplingSettings } from '../../run/sampling.js';

export interface AssistantActions {
  setRunMode(mode: RunMode): void;
  setCompare(on: boolean): void;
  askExample(text: string): void;
  backToSetup(): void;
  startSimulation(): void;
  exportConversation(format: 'md' | 'json'): void;
  setSampling(patch: Partial<SamplingSettings>): void;
  resetSampling(): void;
}

export interface AssistantParts {
  /** The <attention-moa> element: the conversation's turns and the prompt box. */
  element: TemplateResult | typeof nothing;
}


export function assistantView(state: DemoState, a: AssistantActions, parts: AssistantParts): TemplateResult {
  const session = state.session;
  const sim = session?.kind === 'simulation';
  const turns = state.current?.turns ?? [];
  const last = turns.at(-1);
  const mode = RUN_MODES.find((m) => m.id === state.runMode)!;
  return html`
    <h1 class="visually-hidden">${state.current?.title ?? 'Assistant'}</h1>
    ${sim
      ? html`<div class="sim-banner" role="note" data-testid="sim-banner">${icons.flask}<strong>Simulation</strong><span>${SIMULATION_LABEL}. The protocol, its events and this interface are real; the replies are scripted.</span></div>`
      : nothing}
    ${session
      ? html`<div class="session-bar">
          <div class="chips" aria-label="Agents">
            ${session.agents.map(
              (agent, i) => html`<span class="chip ${agent.name === session.aggregator ? 'chip--agg' : ''}" title=${session.models?.[i] ?? agent.name}>
                ${sim || session.kind === 'wasm' ? agent.name : shortName(session.models?.[i] ?? agent.name)}${agent.name === session.aggregator ? ' · aggregator' : ''}</span>`,
            )}
          </div>
          <button class="btn btn--small" @click=${a.backToSetup}>${icons.settings} Setup</button>
        </div>
        <div>
          <div class="modes" role="radiogroup" aria-label="How to answer">
            ${RUN_MODES.map(
              (m) => html`<button class="mode" role="radio" aria-checked=${String(m.id === state.runMode)} data-testid=${`mode-${m.id}`}
                ?disabled=${state.running} @click=${() => a.setRunMode(m.id)}>${m.label}</button>`,
            )}
          </div>
          <p class="mode-explain mt-sm">${mode.explain}</p>
          <label class="small check-row">
            <input type="checkbox" data-testid="compare-toggle" .checked=${state.compare} ?disabled=${state.running}
              @change=${(e: Event) => a.setCompare((e.target as HTMLInputElement).checked)} />
            Also run the other two modes on each question and compare calls, tokens and time
          </label>
        </div>`
      : html`<section class="card" data-testid="continue">
          <div class="section-head"><h2>${state.current?.title ?? 'Conversation'}</h2></div>
          <p class="muted">Saved in this browser. To ask a follow-up question, start the simulation or load models; the earlier turns are sent along as history.</p>
          <div class="start-row mt-md">
            <button class="btn btn--sim" @click=${a.startSimulation}>${icons.flask} Continue in the simulation</button>
            <button class="btn" @click=${a.backToSetup}>${icons.settings} Choose models</button>
          </div>
        </section>`}

    ${samplingForm(state, a)}
    ${state.notice ? html`<p class="notice notice--${state.notice.kind}" role="alert" data-testid="assistant-notice">${state.notice.text}</p>` : nothing}
    ${session && turns.length === 0 && !state.running
      ? html`<section aria-labelledby="examples-title">
          <h2 class="examples-head" id="examples-title">Try an example</h2>
          <div class="examples">
            ${EXAMPLE_PROMPTS.map((p) => html`<button class="example" data-testid="example" @click=${() => a.askExample(p)}>${p}</button>`)}
          </div>
        </section>`
      : nothing}

    <div class="assistant-slot" data-testid="assistant-slot">${parts.element}</div>

    ${state.comparing ? html`<p class="small muted" role="status" data-testid="comparing">${icons.spinner} ${state.comparing}</p>` : nothing}
    ${last?.comparisons?.length ? comparisonCard(last) : nothing}

    ${turns.length
      ? html`<div class="conv-actions" aria-label="Conversation">
          <span class="small muted">${turns.length} question${turns.length === 1 ? '' : 's'} · saved in this browser</span>
          <span class="grow"></span>
          <button class="btn btn--small" data-testid="export-md" @click=${() => a.exportConversation('md')}>${icons.download} Markdown</button>
          <button class="btn btn--small" data-testid="export-json" @click=${() => a.exportConversation('json')}>${icons.download} JSON with trace</button>
        </div>`
      : nothing}
  `;
}

function comparisonCard(turn: Turn): TemplateResult {
  const runs: TurnRun[] = [turn.main, ...(turn.comparisons ?? [])];
  const costs = runs.map(costOf);
  const maxTime = Math.max(1, ...costs.map((c) => c?.durationMs ?? 0));
  const maxTokens = Math.max(1, ...costs.map((c) => (c ? c.promptTokens + c.completionTokens : 0)));
  const label = (m: RunMode) => RUN_MODES.find((x) => x.id === m)!.label;
  return html`<section class="card" aria-labelledby="cmp-title" data-testid="comparison">
    <div class="section-head">
      <h2 id="cmp-title">${icons.compare} What each mode cost on this question</h2>
      <p>Same question, same models${turn.ensemble.simulated ? ' (simulated)' : ''}.</p>
    </div>
    <div class="table-scroll">
      <table class="compare-table">
        <thead><tr><th>Mode</th><th class="num">Calls</th><th class="num">Tokens</th><th class="num">Time</th></tr></thead>
        <tbody>
          ${runs.map((run, i) => {
            const c = costs[i];
            if (!c) return html`<tr data-mode=${run.mode}><td>${label(run.mode)}</td><td colspan="3" class="muted">failed: ${run.error?.message ?? 'no result'}</td></tr>`;
            const tokens = c.promptTokens + c.completionTokens;
            return html`<tr ?data-main=${i === 0} data-mode=${run.mode}>
              <td>${label(run.mode)}${i === 0 ? html` <span class="badge badge--accent">shown above</span>` : nothing}
                <span class="sub">${c.layersRun} layer${c.layersRun === 1 ? '' : 's'}${c.earlyStopLayer ? ', stopped early' : ''}</span></td>
              <td class="num" data-label="Calls" data-testid="cmp-calls">${c.calls}</td>
              <td class="num" data-label="Tokens">${tokens.toLocaleString()}<div class="bar"><span ${cssProps({ width: `${(tokens / maxTokens) * 100}%` })}></span></div><span class="sub">${c.completionTokens.toLocaleString()} generated</span></td>
              <td class="num" data-label="Time">${(c.durationMs / 1000).toFixed(1)} s<div class="bar"><span ${cssProps({ width: `${(c.durationMs / maxTime) * 100}%` })}></span></div></td>
            </tr>`;
          })}
        </tbody>
      </table>
    </div>
    <div class="compare-answers">
      ${runs.slice(1).map((run) => html`<div class="compare-answer"><h3>${label(run.mode)}</h3><div class="text">${run.error ? run.error.message : plainText(run.answer)}</div></div>`)}
    </div>
  </section>`;
}

/** System prompt and sampling, applied from the next question on (a <details>, closed unless changed). */
function samplingForm(state: DemoState, a: AssistantActions): TemplateResult {
  const s = state.sampling;
  const changed = JSON.stringify(s) !== JSON.stringify(DEFAULT_SAMPLING);
  const num = (field: 'temperature' | 'topP' | 'maxTokens') => (e: Event) => {
    const input = e.target as HTMLInputElement;
    a.setSampling({ [field]: input.value === '' ? NaN : Number(input.value) });
  };
  return html`<details class="sampling mt-sm" data-testid="sampling" ?open=${changed || !!state.samplingError}>
    <summary class="small">System prompt and sampling${changed ? html` <span class="badge badge--accent">changed</span>` : nothing}</summary>
    <div class="sampling-body">
      <label class="field field--wide"><span>System prompt <span class="muted">(sent first, with every question)</span></span>
        <textarea rows="2" data-testid="system-prompt" maxlength="4000" placeholder="e.g. Answer briefly, in plain English."
          .value=${s.system} ?disabled=${state.running} @change=${(e: Event) => a.setSampling({ system: (e.target as HTMLTextAreaElement).value })}></textarea></label>
      <label class="field"><span>Temperature <span class="muted">0–2</span></span>
        <input type="number" data-testid="temperature" min="0" max="2" step="0.05" .value=${String(s.temperature)} ?disabled=${state.running} @change=${num('temperature')} /></label>
      <label class="field"><span>Top-p <span class="muted">0–1</span></span>
        <input type="number" data-testid="top-p" min="0.01" max="1" step="0.01" .value=${String(s.topP)} ?disabled=${state.running} @change=${num('topP')} /></label>
      <label class="field"><span>Max answer length <span class="muted">tokens</span></span>
        <input type="number" data-testid="max-tokens" min="16" max=${MAX_ANSWER_TOKENS} step="16" .value=${String(s.maxTokens)} ?disabled=${state.running} @change=${num('maxTokens')} /></label>
      <button class="btn btn--small" type="button" ?disabled=${!changed || state.running} @click=${a.resetSampling}>Defaults</button>
    </div>
    ${state.samplingError ? html`<p class="notice notice--bad" role="alert" data-testid="sampling-error">${state.samplingError}</p>` : nothing}
  </details>`;
}
