/**
 * Which chat template a GGUF model runs with, and whether that template has a system role.
 *
 * A GGUF file normally carries its template (`tokenizer.chat_template`). Some do not — pretrained base models such as
 * Gemma 3 270M (`google/gemma-3-270m`) — and llama.cpp then formats chats as ChatML, whose `<|im_start|>` markers are
 * plain text to a Gemma vocabulary: the model echoes them back. For a family whose turn format is known from its
 * architecture, the engine passes that family's template instead.
 */
import type { GgufHeader } from './gguf-header.js';

/**
 * Gemma's turn format (as in Gemma 3's own template, without images): user and model turns only; a leading system
 * message is folded into the first user turn.
 */
export const GEMMA_CHAT_TEMPLATE =
  "{{ bos_token }}{%- if messages[0]['role'] == 'system' -%}{%- set first_user_prefix = messages[0]['content'] + '\\n\\n' -%}" +
  "{%- set loop_messages = messages[1:] -%}{%- else -%}{%- set first_user_prefix = '' -%}{%- set loop_messages = messages -%}{%- endif -%}" +
  "{%- for message in loop_messages -%}{%- set role = 'model' if message['role'] == 'assistant' else message['role'] -%}" +
  "{{ '<start_of_turn>' + role + '\\n' + (first_user_prefix if loop.first else '') + message['content'] | trim + '<end_of_turn>\\n' }}" +
  "{%- endfor -%}{%- if add_generation_prompt -%}{{ '<start_of_turn>model\\n' }}{%- endif -%}";

export interface ChatTemplateChoice {
  /** The template to give llama.cpp, when it is not the file's own (undefined: the file's, or llama.cpp's ChatML). */
  override?: string;
  /** Where the template comes from. */
  source: 'gguf' | 'family' | 'chatml-fallback';
  /** The template has no system role: instructions go in the first user turn (the protocol's `noSystemRole`). */
  noSystemRole: boolean;
}

/** True when a template refuses a system message or never renders one. */
export function templateLacksSystemRole(template: string): boolean {
  if (/system role (is )?not supported/i.test(template)) return true;
  return !/system/.test(template);
}

/** The template a model runs with: its own, its family's (Gemma), or llama.cpp's ChatML fallback. */
export function chooseChatTemplate(header: Pick<GgufHeader, 'metadata'>): ChatTemplateChoice {
  const own = header.metadata.get('tokenizer.chat_template');
  if (typeof own === 'string' && own.trim()) return { source: 'gguf', noSystemRole: templateLacksSystemRole(own) };
  const architecture = header.metadata.get('general.architecture');
  if (typeof architecture === 'string' && /^gemma\d*n?$/.test(architecture)) {
    return { override: GEMMA_CHAT_TEMPLATE, source: 'family', noSystemRole: true };
  }
  return { source: 'chatml-fallback', noSystemRole: false };
}
