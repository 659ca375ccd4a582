/**
 * How the `models` attribute becomes engines: a `ModelLoader` downloads/loads the models (reporting progress per
 * model) and hands back the agents and aggregator for the protocol. The element's default loader is built on the
 * runtime's engine pool; a page (or a test) may set its own on the `loader` property.
 */
import type { AgentConfig, AggregatorConfig, AttentionTopology, LoadProgress } from '@attention-moa/core';

export interface ModelLoadRequest {
  /** Model ids, one agent each, in order. */
  models: string[];
  /** Models on OpenAI-compatible servers (the `remote-models` attribute): one agent each, after `models`' agents. */
  remote?: { model: string; baseURL: string }[];
  /** The aggregator's model id or agent name, when the page chose one (default: the loader's choice). */
  aggregator?: string;
  /** GPU memory the models may use, in bytes. */
  memoryBudgetBytes?: number;
  /** The protocol's shape, for planning which models must be loaded together (swap mode). */
  layers?: number;
  attention?: AttentionTopology;
  signal: AbortSignal;
  /** Before any download: what the load will cost (bytes to download; 0 when everything is cached). */
  onPlan?(plan: { downloadBytes?: number }): void;
  onProgress(model: string, report: LoadProgress): void;
  /** Something the user should know about the load, e.g. that the models take turns because they do not fit together. */
  onNote?(note: string): void;
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
