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

export class ConversationStore {
  private readonly store: UseStore;

  constructor(store: UseStore = createStore(CONVERSATION_DB, CONVERSATION_STORE)) {
    this.store = store;
  }

  /** Newest first. */
  async list(): Promise<ConversationSummary[]> {
    const all = (await values<Conversation>(this.store)).filter(isConversation);
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

  async get(id: string): Promise<Conversation | undefined> {
    const value = await get<Conversation>(id, this.store);
    return isConversation(value) ? value : undefined;
  }

  async save(conversation: Conversation): Promise<void> {
    if (!isConversation(conversation)) throw new TypeError('ConversationStore.save: not a conversation (needs id, title, turns[]).');
    try {
      await set(conversation.id, conversation, this.store);
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'QuotaExceededError') {
        throw new Error('Could not save the conversation: browser storage is full. Delete cached models or old conversations, then try again.', { cause: error });
      }
      throw error;
    }
  }

  async delete(id: string): Promise<void> {
    await del(id, this.store);
  }

  async deleteAll(): Promise<void> {
    await clear(this.store);
  }
}

function isConversation(value: unknown): value is Conversation {
  const c = value as Conversation | undefined;
  return !!c && typeof c.id === 'string' && typeof c.title === 'string' && Array.isArray(c.turns) && typeof c.updatedAt === 'number';
}
