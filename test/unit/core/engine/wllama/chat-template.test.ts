import { describe, expect, it } from 'vitest';
import { GEMMA_CHAT_TEMPLATE, chooseChatTemplate, templateLacksSystemRole } from '../../../../../packages/core/src/engine/wllama/chat-template.js';

const header = (entries: Record<string, string>) => ({ metadata: new Map(Object.entries(entries)) });
const CHATML = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}";
const GEMMA2 = "{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}{% for message in messages %}<start_of_turn>…{% endfor %}";

describe('the chat template a GGUF model runs with', () => {
  it('keeps the file\'s own template, with a system role when it renders one', () => {
    expect(chooseChatTemplate(header({ 'general.architecture': 'llama', 'tokenizer.chat_template': CHATML.replace("message['role']", "'system'") }))).toEqual({ source: 'gguf', noSystemRole: false });
    // SmolLM2's template names the system role.
    expect(templateLacksSystemRole("{% if loop.first and messages[0]['role'] != 'system' %}…{% endif %}")).toBe(false);
  });

  it('says "no system role" for a template that refuses one (Gemma 2) or never renders one', () => {
    expect(chooseChatTemplate(header({ 'general.architecture': 'gemma2', 'tokenizer.chat_template': GEMMA2 }))).toEqual({ source: 'gguf', noSystemRole: true });
    expect(templateLacksSystemRole('{% for message in messages %}[INST] {{ message.content }} [/INST]{% endfor %}')).toBe(true);
  });

  it('gives a Gemma file without a template (a base model: Gemma 3 270M) Gemma\'s turn format, without a system role', () => {
    const choice = chooseChatTemplate(header({ 'general.architecture': 'gemma3' }));
    expect(choice).toEqual({ override: GEMMA_CHAT_TEMPLATE, source: 'family', noSystemRole: true });
    expect(GEMMA_CHAT_TEMPLATE).toContain('<start_of_turn>');
    expect(GEMMA_CHAT_TEMPLATE).toContain("'model' if message['role'] == 'assistant'");
  });

  it('leaves other files without a template to llama.cpp\'s ChatML (which has a system role)', () => {
    expect(chooseChatTemplate(header({ 'general.architecture': 'llama' }))).toEqual({ source: 'chatml-fallback', noSystemRole: false });
  });
});
