/**
 * Builds the protocol runner from agents and an aggregator with the element's settings.
 * TEMPORARY (branch `element` only): the `AttentionMoA` class is being built on another branch; until it is merged
 * this reports that the protocol is unavailable instead of pretending to run it.
 */
import type { AttentionMoAOptions } from '@attention-moa/core';
import type { MoaRunner } from './run-controller.js';
import { AttentionMoAElementError } from './errors.js';

export function createProtocol(_options: AttentionMoAOptions): MoaRunner {
  throw new AttentionMoAElementError({
    code: 'protocol-unavailable',
    title: 'The protocol is not available in this build',
    message: 'AttentionMoA is not part of @attention-moa/core yet.',
    nextStep: 'Set the `moa` property to a prepared runner.',
  });
}
