/**
 * PLACEHOLDER until the wllama engine lands (another branch writes the real `engine/wllama.ts`, which replaces
 * this file). The worker runtime imports `createWllamaEngine` from here for kind 'wllama'; in this build it
 * fails with a clear ENGINE_UNAVAILABLE error instead of an obscure import failure.
 */
import type { HostedEngineFactory } from '../runtime/hosted-engine.js';
import { runtimeError } from '../runtime/errors.js';

/** The wllama spec; the real module defines its fields. */
export interface WllamaSpec {
  model: string;
  [key: string]: unknown;
}

export const createWllamaEngine: HostedEngineFactory<WllamaSpec> = async () => {
  throw runtimeError('ENGINE_UNAVAILABLE', { kind: 'wllama' }, {
    message: 'Engine kind "wllama" is not available in this build of @attention-moa/core (the wllama engine is not part of it yet). Use kind "webllm" or "scripted".',
  });
};
