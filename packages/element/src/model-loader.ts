/**
 * How the `models` attribute becomes engines: a `ModelLoader` downloads/loads the models (reporting progress per
 * model) and hands back the agents and aggregator for the protocol. The element's default loader is built on the
 * runtime's engine pool; a page (or a test) may set its own on the `loader` property.
 */
import type { AgentConfig, AggregatorConfig } from '@attention-moa/core';
import type { LoadProgress } from './model-loading.js';

export interface ModelLoadRequest {
  /** Model ids, one agent each, in order. */
  models: string[];
  /** The aggregator's model id or agent name, when the page chose one (default: the loader's choice). */
  aggregator?: string;
  /** GPU memory the models may use, in bytes. */
  memoryBudgetBytes?: number;
  signal: AbortSignal;
  /** Before any download: what the load will cost (bytes to download; 0 when everything is cached). */
  onPlan?(plan: { downloadBytes?: number }): void;
  onProgress(model: string, report: LoadProgress): void;
}

export interface LoadedEngines {
  agents: AgentConfig[];
  aggregator: AggregatorConfig;
  /** The engines are simulations (scripted): the UI labels them so. */
  simulated?: boolean;
  /** Frees the models (called when the models change or the element is removed). */
  dispose?(): void | Promise<void>;
}

export type ModelLoader = (request: ModelLoadRequest) => Promise<LoadedEngines>;
