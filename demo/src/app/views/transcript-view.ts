/**
 * Earlier turns of a conversation restored from this browser's storage. The <attention-moa> element shows the turns
 * asked since it was created; these come before them. Answers are shown as plain text (never as HTML), with how
 * each was produced.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { costOf, type Turn } from '../../conversations/conversation.js';
import { RUN_MODES } from '../../run/modes.js';
import { plainText } from '../plain-text.js';

export function transcriptView(turns: Turn[]): TemplateResult | typeof nothing {
  if (turns.length === 0) return nothing;
  return html`<section class="transcript" aria-label="Earlier in this conversation" data-testid="transcript">
    <p class="turn-meta">Earlier in this conversation · restored from this browser</p>
    ${turns.map((t) => {
      const cost = costOf(t.main);
      const mode = RUN_MODES.find((m) => m.id === t.main.mode)?.label ?? t.main.mode;
      return html`<article class="turn" data-testid="transcript-turn">
        <div class="turn-q">${t.question}</div>
        <div class="turn-a">${t.main.error ? html`<span class="notice notice--bad">${t.main.error.message}</span>` : plainText(t.main.answer)}</div>
        <p class="turn-meta">${mode}${t.ensemble.simulated ? ' · simulated' : ''}${cost ? ` · ${cost.calls} calls · ${(cost.promptTokens + cost.completionTokens).toLocaleString()} tokens · ${(cost.durationMs / 1000).toFixed(1)} s` : ''}</p>
      </article>`;
    })}
  </section>`;
}
