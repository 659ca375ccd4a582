/** Validation of the conversation passed to `run()` / `complete()`: bad input fails at once, naming the message. */
import type { ChatMessage, ChatRole } from '../engine/contract.js';
import { estimateTokens } from '../engine/tokens.js';
import { MESSAGE_OVERHEAD, REPLY_OVERHEAD } from './context-budget.js';
import { MessagesError } from './errors.js';

const ROLES: readonly ChatRole[] = ['system', 'user', 'assistant'];

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Text the caller wrote (system and user messages) must be well-formed Unicode without control characters:
 * an unpaired surrogate (half an emoji, cut by a careless `slice`) or a control character (NUL, ESC, form feed…)
 * reaches a model's tokenizer as garbage or not at all. Tab, line feed and carriage return are text.
 * Assistant messages are the models' own earlier answers and are passed on as they are.
 */
function checkText(content: string, field: string): void {
  for (let i = 0; i < content.length; i++) {
    const code = content.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = content.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      throw new MessagesError(
        field,
        `has an unpaired UTF-16 surrogate (${hex(code)}) at index ${i}: it is not valid text (often half of an emoji cut by slicing). ` +
          'Allowed: well-formed Unicode; `text.toWellFormed()` replaces unpaired surrogates with U+FFFD.',
      );
    }
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || (code >= 0x7f && code <= 0x9f)) {
      throw new MessagesError(
        field,
        `has the control character ${hex(code)} at index ${i}. Allowed: printable text, tab, line feed and carriage return; ` +
          "remove control characters first, e.g. `text.replace(/[^\\P{Cc}\\t\\n\\r]/gu, '')`.",
      );
    }
  }
}

/** A string is shorthand for a one-question conversation. Returns a copy: later changes by the caller do not leak in. */
export function resolveMessages(messages: unknown): ChatMessage[] {
  if (typeof messages === 'string') {
    if (!messages.trim()) throw new MessagesError('messages', 'is an empty string or only whitespace: pass the question');
    checkText(messages, 'messages');
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
    if (role !== 'assistant') checkText(content, `${field}.content`);
    return { role: role as ChatRole, content };
  });
  const last = resolved[resolved.length - 1]!;
  if (last.role !== 'user') {
    throw new MessagesError(`messages[${resolved.length - 1}]`, `must be the user's question (role 'user'), got role '${last.role}'`);
  }
  if (!last.content.trim()) throw new MessagesError(`messages[${resolved.length - 1}].content`, 'is empty or whitespace only: pass the question');
  return resolved;
}

/** A model that could read the question: its window and the room its first answer reserves. */
export interface QuestionReader {
  name: string;
  contextWindow: number;
  answerTokens: number;
}

/**
 * The token estimate can count up to about twice what a real tokenizer does (ASCII at 3 characters a token);
 * only a question that could not fit even then is rejected here. Closer calls are measured per call, where a
 * prompt that cannot fit fails with CONTEXT_OVERFLOW before it reaches the engine.
 */
const ESTIMATE_SLACK = 2;

/**
 * Rejects at once a question (with the system prompt, which is never cut either) that no agent's model could
 * read: a 1 MB paste must fail with a clear message, not as a run of doomed calls.
 */
export function assertQuestionFits(conversation: ChatMessage[], readers: readonly QuestionReader[], fromString = false): void {
  const lastIndex = conversation.length - 1;
  const fixed = conversation.filter((m, i) => m.role === 'system' || i === lastIndex);
  const tokens = fixed.reduce((sum, m) => sum + estimateTokens(m.content) + MESSAGE_OVERHEAD, REPLY_OVERHEAD);
  const best = readers.reduce<QuestionReader | undefined>((a, b) => (!a || b.contextWindow - b.answerTokens > a.contextWindow - a.answerTokens ? b : a), undefined);
  if (!best) return;
  const room = best.contextWindow - best.answerTokens;
  if (tokens / ESTIMATE_SLACK <= room) return;
  const chars = conversation[lastIndex]!.content.length;
  const where = fromString ? 'messages' : `messages[${lastIndex}].content`;
  throw new MessagesError(
    where,
    `is far too long for the models: about ${tokens.toLocaleString('en-US')} tokens (${chars.toLocaleString('en-US')} characters, system prompt included), ` +
      `but the largest context window among the agents leaves ${room.toLocaleString('en-US')} tokens for it ("${best.name}": contextWindow ` +
      `${best.contextWindow} − ${best.answerTokens} reserved for the answer). Shorten the question to under about ` +
      `${(room * 3).toLocaleString('en-US')} characters, or use models with a larger contextWindow.`,
  );
}
