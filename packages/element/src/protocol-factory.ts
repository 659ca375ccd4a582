/**
 * Builds the protocol runner (`AttentionMoA` from @attention-moa/core, loaded on first use) from agents, an
 * aggregator and the element's settings. The protocol validates its options itself; a `ConfigError` comes back as a
 * problem naming the option.
 */
import type { AttentionMoAOptions } from '@attention-moa/core';
import type { MoaRunner } from './run-controller.js';
import { AttentionMoAElementError } from './errors.js';
import { errorInfo } from './view-model.js';
import { loadCore, loadedCore, type Core } from './core-loader.js';

/** The runner, at once when core has loaded (the element starts that when it gets agents), else once it has. */
export function createProtocol(options: AttentionMoAOptions): MoaRunner | Promise<MoaRunner> {
  const core = loadedCore();
  return core ? build(core, options) : loadCore().then((loaded) => build(loaded, options));
}

function build({ AttentionMoA, ConfigError }: Core, options: AttentionMoAOptions): MoaRunner {
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
