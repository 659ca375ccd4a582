// The real models the eval and the recorder run: where `npm run models` puts them (the git-ignored `models/` folder
// at the repo root) and what each one needs from the protocol.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HarnessModel } from '../page/harness.js';

/**
 * Gemma's turn format (`<start_of_turn>user … <end_of_turn>`, the assistant's role named `model`), as a Jinja
 * template: the Gemma 3 270M file carries none, and llama.cpp would fall back to ChatML, a format no Gemma model was
 * trained on. A system message, if any, opens the first user turn, as in Google's own template.
 */
export const GEMMA_CHAT_TEMPLATE =
  "{%- if messages[0]['role'] == 'system' -%}{%- set prefix = messages[0]['content'] + '\n\n' -%}{%- set loop_messages = messages[1:] -%}" +
  "{%- else -%}{%- set prefix = '' -%}{%- set loop_messages = messages -%}{%- endif -%}" +
  "{%- for message in loop_messages -%}{%- if message['role'] == 'assistant' -%}{%- set role = 'model' -%}{%- else -%}{%- set role = message['role'] -%}{%- endif -%}" +
  "{{ '<start_of_turn>' + role + '\n' + (prefix if loop.first else '') + message['content'] | trim + '<end_of_turn>\n' }}{%- endfor -%}" +
  "{%- if add_generation_prompt -%}{{ '<start_of_turn>model\n' }}{%- endif -%}";

export interface RealModel extends HarnessModel {
  file: string;
  /** What the file is, for reports. */
  label: string;
}

export const REAL_MODELS: RealModel[] = [
  {
    key: 'smollm2',
    file: 'SmolLM2-135M-Instruct.Q4_1.gguf',
    url: '/models/SmolLM2-135M-Instruct.Q4_1.gguf',
    label: 'SmolLM2-135M-Instruct Q4_1 (ChatML template, system role)',
    contextWindow: 4096,
    noSystemRole: false,
  },
  {
    key: 'gemma',
    file: 'gemma-3-270m-q4_k_m.gguf',
    url: '/models/gemma-3-270m-q4_k_m.gguf',
    label: "Gemma 3 270M Q4_K_M, the pretrained base model (not instruction-tuned; the file has no chat template: Gemma's turn format is given, instructions in the first user turn)",
    contextWindow: 4096,
    noSystemRole: true,
    chatTemplate: GEMMA_CHAT_TEMPLATE,
  },
];

/** Throws an error that says how to get the models when a file is missing. */
export function checkModelFiles(root: string, models: RealModel[] = REAL_MODELS): void {
  const missing = models.filter((m) => !existsSync(join(root, 'models', m.file)));
  if (missing.length) {
    const error = new Error(
      `missing model file(s) ${missing.map((m) => `models/${m.file}`).join(', ')}: run \`npm run models\` first (it downloads them into models/)`,
    ) as Error & { userFacing: boolean };
    error.userFacing = true;
    throw error;
  }
}
