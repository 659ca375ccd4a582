/**
 * Builds the protocol runner (`AttentionMoA` from @attention-moa/core, loaded on first use) from agents, an
 * aggregator and the element's settings. The protocol validates its options itself; a `ConfigError` comes back as a
 * problem naming the option.
 */
import type { AttentionMoAOptions } from '@attention-moa/core';
import type { MoaRunner } from './run-controller.js';
import { AttentionMoAElementError } from './errors.js';
import { errorInfo } from './view-model.js';
import { loadCore } from './core-loader.js';

export async function createProtocol(options: AttentionMoAOptions): Promise<MoaRunner> {
  const { AttentionMoA, ConfigError } = await loadCore();
  try {
    return new AttentionMoA(options);
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new AttentionMoAElementError({
        code: 'invalid-options',
        title: 'The protocol options are not valid',
        message: error.message,
        nextStep: `Fix "${error.field || 'options'}" (set by the attributes or the agents / aggregator / options properties).`,
        field: error.field,
        error: errorInfo(error),
      });
    }
    throw error;
  }
}
