/**
 * @attention-moa/element — the `<attention-moa>` web component.
 *
 * Importing this module defines the element (once). The self-contained build (`dist/attention-moa.js`) also
 * re-exports @attention-moa/core, so a page without a bundler gets the engines (e.g. ScriptedEngine) and the
 * protocol from the same file.
 */
import { AttentionMoAElement } from './attention-moa-element.js';
import { TAG_NAME } from './element-api.js';

export { AttentionMoAElement, type ElementStatus } from './attention-moa-element.js';
export { TAG_NAME } from './element-api.js';
export type { MoaRunner } from './run-controller.js';
export type { RestoredTurn } from './restored-turn.js';
export type { ModelLoader, ModelLoadRequest, LoadedEngines } from './loader-contract.js';
export { createPoolLoader, defaultModelLoader, agentName, type PoolLoaderOptions } from './engine-pool-loader.js';
export type { Problem, ProblemCode } from './problems.js';
export { AttentionMoABusyError, AttentionMoAElementError } from './errors.js';
export { EVENT_NAMES } from './events.js';
export { cssProps } from './css-props.js';
export { inertMarkdown } from './markdown/inert-markdown.js';
export type * from './events.js';
export * from '@attention-moa/core';

if (!customElements.get(TAG_NAME)) customElements.define(TAG_NAME, AttentionMoAElement);

declare global {
  interface HTMLElementTagNameMap {
    'attention-moa': AttentionMoAElement;
  }
}
