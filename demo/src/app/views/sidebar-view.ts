/** The conversation list: newest first, search, open, rename or delete one (with undo), import one, start a new one. */
import { html, nothing, type TemplateResult } from 'lit';
import { icons } from '../icons.js';
import type { DemoState } from '../state.js';

export interface SidebarActions {
  newConversation(): void;
  openConversation(id: string): void;
  deleteConversation(id: string): void;
  undoDelete(): void;
  startRename(id: string): void;
  rename(id: string, title: string): void;
  cancelRename(): void;
  search(query: string): void;
  importFile(file: File): void;
}

const when = (t: number) => {
  const d = new Date(t);
  const today = new Date();
  return d.toDateString() === today.toDateString()
    ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
};

export function sidebarView(state: DemoState, a: SidebarActions): TemplateResult {
  const hits = state.searchHits;
  const shown = hits ? state.conversations.filter((c) => hits.has(c.id)) : state.conversations;
  const onImport = (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = ''; // the same file can be picked again after a fix
    if (file) a.importFile(file);
  };
  return html`<aside class="sidebar" id="sidebar" ?data-open=${state.sidebarOpen} aria-label="Conversations">
    <button class="btn" data-testid="new-conversation" @click=${a.newConversation}>${icons.plus} New conversation</button>
    <h2>Conversations</h2>
    ${state.storageNotice ? html`<p class="notice notice--warn" role="status" data-testid="storage-notice">${state.storageNotice}</p>` : nothing}
    ${state.conversations.length
      ? html`<label class="visually-hidden" for="conv-search">Search conversations</label>
        <input id="conv-search" class="conv-search" type="search" placeholder="Search conversations" data-testid="conversation-search"
          .value=${state.searchQuery} @input=${(e: Event) => a.search((e.target as HTMLInputElement).value)} />`
      : nothing}
    ${state.deleted
      ? html`<p class="notice notice--ok conv-undo" role="status" data-testid="deleted-notice">Deleted “${state.deleted.title}”.
          <button class="btn btn--small" data-testid="undo-delete" @click=${a.undoDelete}>Undo</button></p>`
      : nothing}
    ${state.importNotice ? html`<p class="notice notice--${state.importNotice.kind}" role=${state.importNotice.kind === 'bad' ? 'alert' : 'status'} data-testid="import-notice">${state.importNotice.text}</p>` : nothing}
    ${state.conversations.length === 0
      ? state.storageNotice ? nothing : html`<p class="conv-empty">Your conversations are saved in this browser and appear here.</p>`
      : shown.length === 0
        ? html`<p class="conv-empty" role="status">No conversation contains “${state.searchQuery.trim()}”.</p>`
        : html`<ul class="conv-list" data-testid="conversation-list">
          ${shown.map((c) =>
            state.renaming === c.id
              ? html`<li class="conv-item" aria-current=${String(state.current?.id === c.id)}>
                  <form class="conv-rename" @submit=${(e: Event) => {
                    e.preventDefault();
                    a.rename(c.id, new FormData(e.target as HTMLFormElement).get('title') as string);
                  }}>
                    <label class="visually-hidden" for="rename-${c.id}">New name</label>
                    <input id="rename-${c.id}" name="title" data-testid="rename-input" .value=${c.title} maxlength="120" required
                      @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && a.cancelRename()} />
                    <button class="btn btn--small" type="submit">Save</button>
                    <button class="btn btn--ghost btn--small" type="button" @click=${a.cancelRename}>Cancel</button>
                  </form>
                </li>`
              : html`<li class="conv-item" aria-current=${String(state.current?.id === c.id)}>
              <button class="conv-open" data-testid="conversation" @click=${() => a.openConversation(c.id)} title=${c.title}>
                <span class="conv-title">${c.title}</span>
                <span class="conv-meta">${when(c.updatedAt)} · ${c.turns} question${c.turns === 1 ? '' : 's'}${c.simulated ? ' · simulated' : ''}</span>
              </button>
              <button class="btn btn--ghost btn--small conv-delete" data-testid="rename-conversation" aria-label=${`Rename conversation “${c.title}”`} @click=${() => a.startRename(c.id)}>${icons.pencil}</button>
              <button class="btn btn--ghost btn--small conv-delete" data-testid="delete-conversation" aria-label=${`Delete conversation “${c.title}”`} @click=${() => a.deleteConversation(c.id)}>${icons.trash}</button>
            </li>`,
          )}
        </ul>`}
    <label class="btn btn--ghost btn--small conv-import" data-testid="import-label">${icons.upload} Import a conversation…
      <input type="file" class="visually-hidden" accept="application/json,.json" data-testid="import-file" @change=${onImport} /></label>
  </aside>`;
}
