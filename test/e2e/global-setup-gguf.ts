/** Writes the tiny GGUF models the real-inference specs load (test/fixtures/generated/, gitignored). */
import { fileURLToPath } from 'node:url';
import { generateTinyModels } from '../fixtures/gguf/generate.js';

export default function generateModelFixtures(): void {
  const { written } = generateTinyModels(fileURLToPath(new URL('../..', import.meta.url)));
  if (written.length) console.log(`tiny GGUF fixtures written: ${written.join(', ')}`);
}
