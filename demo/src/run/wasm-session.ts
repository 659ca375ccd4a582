/**
 * A session on real models without WebGPU: each chosen GGUF model from the WASM catalog runs with llama.cpp
 * compiled to WebAssembly, on the CPU, one worker each (one thread each, since the agents share the cores), loaded
 * by the shared pool session (`pool-session.ts`). Weights are cached in the browser (OPFS) after the first download.
 */
import { agentNames, wasmCatalogModel, type PoolEvent, type WasmCatalogModel } from '@attention-moa/core';
import type { ProtocolSettings } from './modes.js';
import type { Session } from './session.js';
import { checkPicks, loadPoolSession } from './pool-session.js';

export interface WasmSessionOptions {
  /** WASM catalog ids (WASM_MODEL_CATALOG), one agent each. */
  models: string[];
  aggregatorIndex: number;
  settings: ProtocolSettings;
  onEvent(event: PoolEvent): void;
  signal: AbortSignal;
}

/** Agent names for catalog models: "SmolLM2 360M Instruct" → "SmolLM2 360M", unique by core's rule. */
export function wasmAgentNames(models: readonly WasmCatalogModel[]): string[] {
  return agentNames(models.map((m) => m.name), (name) => name.replace(/ Instruct$/, ''));
}

/** The total download, bytes, for these catalog ids (Hugging Face's listed sizes). */
export function wasmDownloadBytes(ids: readonly string[]): number {
  return ids.reduce((sum, id) => sum + wasmCatalogModel(id).approxBytes, 0);
}

export async function loadWasmSession(o: WasmSessionOptions): Promise<Session> {
  checkPicks(o.models, 'Pick at least one model to run on the CPU.');
  const models = o.models.map(wasmCatalogModel);
  const names = wasmAgentNames(models);
  return loadPoolSession({
    kind: 'wasm',
    label: `${models.length} model${models.length === 1 ? '' : 's'} running on this device's CPU (WebAssembly)`,
    // Keyed by catalog id, so the pool's events name the same rows as the setup screen.
    agents: models.map((m, i) => ({
      id: m.id,
      spec: { kind: 'wllama', model: m.url, modelId: m.id, contextWindow: m.suggestedContextWindow },
      name: names[i]!,
      contextWindow: m.suggestedContextWindow,
    })),
    aggregatorIndex: o.aggregatorIndex,
    settings: o.settings,
    onEvent: o.onEvent,
    signal: o.signal,
  });
}
