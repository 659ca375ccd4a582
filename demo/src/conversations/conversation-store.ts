/**
 * Conversations persisted in IndexedDB (idb-keyval, one database of its own), so they survive reloads and restarts.
 * Values are plain data (the protocol's result is structured-cloneable), keyed by conversation id.
 */
import { createStore, del, get, set, values, clear, type UseStore } from 'idb-keyval';
import type { Conversation } from './conversation.js';

export const CONVERSATION_DB = 'attention-moa-demo';
export const CONVERSATION_STORE = 'conversations';

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
  turns: number;
  simulated: boolean;
}

/** What the visitor reads when IndexedDB refuses to work (private windows, blocked site data, sandboxed frames). */
export const STORAGE_UNAVAILABLE =
  'Conversations are not saved in this browser: its storage (IndexedDB) is not available here — a private window, site data blocked in the settings, or a sandboxed frame. Everything else works; use Export to keep a conversation.';
const STORAGE_FULL = 'Could not save the conversation: browser storage is full. Delete cached models or old conversations, then try again.';
const REFUSED = new Set(['SecurityError', 'InvalidStateError', 'UnknownError', 'VersionError', 'NotAllowedError', 'InvalidAccessError']);

/** IndexedDB's failures as messages that say what happened and what to do (the original stays as `cause`). */
function storageError(error: unknown): unknown {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'QuotaExceededError') return new Error(STORAGE_FULL, { cause: error });
  if ((name && REFUSED.has(name)) || typeof indexedDB === 'undefined') return new Error(STORAGE_UNAVAILABLE, { cause: error });
  return error;
}

export class ConversationStore {
  private readonly store: UseStore;

  /** idb-keyval opens the database on first use, and again after a failed open: storage that comes back is used. */
  constructor(store: UseStore = createStore(CONVERSATION_DB, CONVERSATION_STORE)) {
    this.store = store;
  }

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw storageError(error);
    }
  }

  /** Newest first. */
  async list(): Promise<ConversationSummary[]> {
    const all = (await this.guard(() => values<Conversation>(this.store))).filter(isConversation);
    return all
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .map((c) => ({
        id: c.id,
        title: c.title,
        updatedAt: c.updatedAt,
        turns: c.turns.length,
        simulated: c.turns.some((t) => t.ensemble.simulated),
      }));
  }

  /** Ids of the conversations whose title, questions or answers contain `query` (case-insensitive). */
  async search(query: string): Promise<Set<string>> {
    const q = query.trim().toLowerCase();
    const all = (await this.guard(() => values<Conversation>(this.store))).filter(isConversation);
    const hit = (c: Conversation) =>
      c.title.toLowerCase().includes(q) || c.turns.some((t) => t.question.toLowerCase().includes(q) || t.main.answer.toLowerCase().includes(q));
    return new Set(all.filter(hit).map((c) => c.id));
  }

  async get(id: string): Promise<Conversation | undefined> {
    const value = await this.guard(() => get<Conversation>(id, this.store));
    return isConversation(value) ? value : undefined;
  }

  async save(conversation: Conversation): Promise<void> {
    if (!isConversation(conversation)) throw new TypeError('ConversationStore.save: not a conversation (needs id, title, turns[]).');
    await this.guard(() => set(conversation.id, conversation, this.store));
  }

  async delete(id: string): Promise<void> {
    await this.guard(() => del(id, this.store));
  }

  async deleteAll(): Promise<void> {
    await this.guard(() => clear(this.store));
  }
}

function isConversation(value: unknown): value is Conversation {
  const c = value as Conversation | undefined;
  return !!c && typeof c.id === 'string' && typeof c.title === 'string' && Array.isArray(c.turns) && typeof c.updatedAt === 'number';
}
