/** The conversation list: newest first, open or delete one, start a new one. */
import { html, nothing, type TemplateResult } from 'lit';
import { icons } from '../icons.js';
import type { DemoState } from '../state.js';

export interface SidebarActions {
  newConversation(): void;
  openConversation(id: string): void;
  deleteConversation(id: string): void;
}

const when = (t: number) => {
  const d = new Date(t);
  const today = new Date();
  return d.toDateString() === today.toDateString()
    ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
};

export function sidebarView(state: DemoState, a: SidebarActions): TemplateResult {
  return html`<aside class="sidebar" id="sidebar" ?data-open=${state.sidebarOpen} aria-label="Conversations">
    <button class="btn" data-testid="new-conversation" @click=${a.newConversation}>${icons.plus} New conversation</button>
    <h2>Conversations</h2>
    ${state.storageNotice ? html`<p class="notice notice--warn" role="status" data-testid="storage-notice">${state.storageNotice}</p>` : nothing}
    ${state.conversations.length === 0
      ? state.storageNotice ? nothing : html`<p class="conv-empty">Your conversations are saved in this browser and appear here.</p>`
      : html`<ul class="conv-list" data-testid="conversation-list">
          ${state.conversations.map(
            (c) => html`<li class="conv-item" aria-current=${String(state.current?.id === c.id)}>
              <button class="conv-open" data-testid="conversation" @click=${() => a.openConversation(c.id)} title=${c.title}>
                <span class="conv-title">${c.title}</span>
                <span class="conv-meta">${when(c.updatedAt)} · ${c.turns} question${c.turns === 1 ? '' : 's'}${c.simulated ? ' · simulated' : ''}</span>
              </button>
              <button class="btn btn--ghost btn--small conv-delete" aria-label=${`Delete conversation “${c.title}”`} @click=${() => a.deleteConversation(c.id)}>${icons.trash}</button>
            </li>`,
          )}
        </ul>`}
  </aside>`;
}
