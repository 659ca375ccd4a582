/**
 * WebLLM's prebuilt model records (a page-side copy, see webllm-catalog.ts), loaded on demand so pages that never
 * list models do not carry the table. For model pickers: ids, `vram_required_MB`, `required_features`, context.
 */
import type { ModelRecordLike } from '../engine/model-record.js';

export async function webllmModels(): Promise<readonly ModelRecordLike[]> {
  return (await import('../engine/webllm/webllm-catalog.js')).WEBLLM_PREBUILT_MODELS;
}
