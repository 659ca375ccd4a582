/**
 * Reasoning blocks (`<think>…</think>`, emitted by e.g. Qwen3) are not part of an answer. The protocol strips them
 * from what it passes on; while a call is still streaming the UI hides them the same way, including a block that
 * is still open.
 */
const CLOSED = /<think>[\s\S]*?<\/think>\s*/gi;
const OPEN_TAIL = /<think>[\s\S]*$/i;

export function stripReasoning(text: string): string {
  if (!/<think>/i.test(text)) return text;
  return text.replace(CLOSED, '').replace(OPEN_TAIL, '');
}

/** True while the visible text is empty because the model is still inside a reasoning block. */
export function isReasoning(text: string): boolean {
  return /<think>(?![\s\S]*<\/think>)/i.test(text);
}
