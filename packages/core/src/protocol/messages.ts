/** Validation of the conversation passed to `run()` / `complete()`: bad input fails at once, naming the message. */
import type { ChatMessage, ChatRole } from '../engine/contract.js';
import { MessagesError } from './errors.js';

const ROLES: readonly ChatRole[] = ['system', 'user', 'assistant'];

/** A string is shorthand for a one-question conversation. Returns a copy: later changes by the caller do not leak in. */
export function resolveMessages(messages: unknown): ChatMessage[] {
  if (typeof messages === 'string') {
    if (!messages.trim()) throw new MessagesError('messages', 'is an empty string: pass the question');
    return [{ role: 'user', content: messages }];
  }
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new MessagesError('messages', 'must be a non-empty array of { role, content } (or a string: the question)');
  }
  let conversationBegan = false;
  const resolved = messages.map((message: unknown, i): ChatMessage => {
    const field = `messages[${i}]`;
    if (typeof message !== 'object' || message === null) throw new MessagesError(field, 'must be an object { role, content }');
    const { role, content } = message as { role?: unknown; content?: unknown };
    if (typeof role !== 'string' || !ROLES.includes(role as ChatRole)) {
      throw new MessagesError(`${field}.role`, `must be 'system', 'user' or 'assistant', got ${JSON.stringify(role) ?? String(role)}`);
    }
    if (typeof content !== 'string') {
      throw new MessagesError(`${field}.content`, 'must be a string (join the text of content parts into one string)');
    }
    if (role === 'system' && conversationBegan) {
      throw new MessagesError(field, 'is a system message after the conversation began; put system messages first');
    }
    if (role !== 'system') conversationBegan = true;
    return { role: role as ChatRole, content };
  });
  const last = resolved[resolved.length - 1]!;
  if (last.role !== 'user') {
    throw new MessagesError(`messages[${resolved.length - 1}]`, `must be the user's question (role 'user'), got role '${last.role}'`);
  }
  if (!last.content.trim()) throw new MessagesError(`messages[${resolved.length - 1}].content`, 'is empty: pass the question');
  return resolved;
}
