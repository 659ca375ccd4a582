// The real models the eval and the recorder run: where `npm run models` puts them (the git-ignored `models/` folder
// at the repo root) and what each one needs from the protocol.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HarnessModel } from '../page/harness.js';

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
    label: 'Gemma 3 270M Q4_K_M (no chat template in the file: llama.cpp falls back to ChatML; run with noSystemRole)',
    contextWindow: 4096,
    noSystemRole: true,
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
