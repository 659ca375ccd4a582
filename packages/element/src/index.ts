/**
 * @attention-moa/element — the `<attention-moa>` web component.
 *
 * Importing this module defines the element (once). It does not re-export @attention-moa/core: the protocol and
 * the runtime load on first use (a question, `load()`), so a page that shows the element loads only the element.
 * Pages import core from `@attention-moa/core`, or, without a bundler, from `dist/core.js` next to the
 * self-contained `dist/attention-moa.js` (the same code the element loads, fetched once).
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
// The CPU model catalog, for `createPoolLoader({ spec })` pages (small: re-exported from core's light entry).
export { WASM_MODEL_CATALOG, wasmCatalogModel } from '@attention-moa/core/lite';
export type * from './events.js';
// Core's types, for typing engines and results; its values come from @attention-moa/core (or dist/core.js).
export type * from '@attention-moa/core';

if (!customElements.get(TAG_NAME)) customElements.define(TAG_NAME, AttentionMoAElement);

declare global {
  interface HTMLElementTagNameMap {
    'attention-moa': AttentionMoAElement;
  }
}
