/**
 * Conversations persisted in IndexedDB (idb-keyval, one database of its own), so they survive reloads and restarts.
 * Values are plain data (the protocol's result is structured-cloneable), keyed by conversation id, stored packed
 * (compact-trace.ts: each line of the calls' texts once per conversation).
 *
 * Several tabs may save the same conversation: a save reads what is stored and writes the union of its turns and
 * the tab's, in one IndexedDB transaction (transactions on a store never overlap, across tabs too), so a tab that
 * did not see another's turn cannot overwrite it. Saves and deletes are announced on a BroadcastChannel, so other
 * tabs refresh their lists.
 */
import { createStore, del, get, update, values, clear, type UseStore } from 'idb-keyval';
import { packConversation, unpackConversation, type PackedConversation } from './compact-trace.js';
import { mergeConversations, type Conversation } from './conversation.js';

/** The channel other tabs of the demo hear about saved and deleted conversations on. */
export const CONVERSATIONS_CHANNEL = 'attention-moa-demo/conversations';

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
  private readonly channel: BroadcastChannel | undefined;

  /** idb-keyval opens the database on first use, and again after a failed open: storage that comes back is used. */
  constructor(store: UseStore = createStore(CONVERSATION_DB, CONVERSATION_STORE)) {
    this.store = store;
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CONVERSATIONS_CHANNEL) : undefined;
  }

  /** Calls `listener` when another tab saved or deleted a conversation. Returns an unsubscribe function. */
  onChangeElsewhere(listener: (id: string | undefined) => void): () => void {
    const channel = this.channel;
    if (!channel) return () => {};
    const onMessage = (event: MessageEvent<{ id?: string }>) => listener(event.data?.id);
    channel.addEventListener('message', onMessage);
    return () => channel.removeEventListener('message', onMessage);
  }

  private announce(id: string | undefined): void {
    try {
      this.channel?.postMessage({ id });
    } catch {
      // a closed channel: no other tab to tell
    }
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
    const value = await this.guard(() => get<Conversation | PackedConversation>(id, this.store));
    return isConversation(value) ? unpackConversation(value) : undefined;
  }

  /**
   * Saves the conversation, keeping turns another tab stored meanwhile (the union by turn id, in the order they
   * were asked; this tab's copy of a turn wins). Resolves with what is stored now.
   */
  async save(conversation: Conversation): Promise<Conversation> {
    if (!isConversation(conversation)) throw new TypeError('ConversationStore.save: not a conversation (needs id, title, turns[]).');
    let saved = conversation;
    await this.guard(() =>
      update<Conversation | PackedConversation>(conversation.id, (stored) => {
        saved = isConversation(stored) ? mergeConversations(unpackConversation(stored), conversation) : conversation;
        return packConversation(saved);
      }, this.store),
    );
    this.announce(conversation.id);
    return saved;
  }

  async delete(id: string): Promise<void> {
    await this.guard(() => del(id, this.store));
    this.announce(id);
  }

  async deleteAll(): Promise<void> {
    await this.guard(() => clear(this.store));
    this.announce(undefined);
  }
}

function isConversation(value: unknown): value is Conversation | PackedConversation {
  const c = value as Conversation | undefined;
  return !!c && typeof c.id === 'string' && typeof c.title === 'string' && Array.isArray(c.turns) && typeof c.updatedAt === 'number';
}
