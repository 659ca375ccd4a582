/**
 * The loader behind the `models` attribute.
 * TEMPORARY (branch `element` only): the runtime's engine pool is being built on another branch; until it is
 * merged, loading models reports that it is unavailable (pages can set the `loader`, `agents` or `moa` property).
 */
import type { ModelLoader } from './model-loader.js';
import { AttentionMoAElementError } from './errors.js';

export const defaultModelLoader: ModelLoader = async () => {
  throw new AttentionMoAElementError({
    code: 'runtime-unavailable',
    title: 'Loading models is not available in this build',
    message: 'The engine pool is not part of @attention-moa/core yet.',
    nextStep: 'Set the agents or moa property, or a loader.',
  });
};
