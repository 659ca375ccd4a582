/**
 * A session on real models without WebGPU: each chosen GGUF model from the WASM catalog runs with llama.cpp
 * compiled to WebAssembly, on the CPU, one worker each (one thread each, since the agents share the cores), loaded
 * by the shared pool session (`pool-session.ts`). Weights are cached in the browser (OPFS) after the first download.
 */
import { agentNames, wasmCatalogModel, type PoolEvent, type WasmCatalogModel } from '@attention-moa/core';
import type { ProtocolSettings } from './modes.js';
import type { Session } from './session.js';
import { checkPicks, loadPoolSession } from './pool-session.js';
import type { OwnModel } from '../catalog/own-models.js';

/** The context window for a model the visitor added: its own, capped (memory on the CPU), 2048 when unknown. */
const OWN_CONTEXT_CAP = 4096;

export interface WasmSessionOptions {
  /** WASM catalog ids (WASM_MODEL_CATALOG) and ids of `own` models, one agent each. */
  models: string[];
  /** GGUF models the visitor added (by URL or file). */
  own?: readonly OwnModel[];
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
  const own = new Map((o.own ?? []).map((m) => [m.id, m]));
  const models = o.models.map((id): WasmCatalogModel | OwnModel => own.get(id) ?? wasmCatalogModel(id));
  const names = agentNames(models.map((m) => m.name), (name) => name.replace(/ Instruct$/, ''));
  return loadPoolSession({
    kind: 'wasm',
    label: `${models.length} model${models.length === 1 ? '' : 's'} running on this device's CPU (WebAssembly)`,
    // Keyed by catalog id, so the pool's events name the same rows as the setup screen.
    agents: models.map((m, i) => {
      const contextWindow = 'source' in m ? Math.min(m.contextLength ?? 2048, OWN_CONTEXT_CAP) : m.suggestedContextWindow;
      return {
        id: m.id,
        spec: { kind: 'wllama' as const, model: 'source' in m ? m.source : m.url, modelId: m.id, contextWindow },
        name: names[i]!,
        contextWindow,
      };
    }),
    aggregatorIndex: o.aggregatorIndex,
    settings: o.settings,
    onEvent: o.onEvent,
    signal: o.signal,
  });
}
