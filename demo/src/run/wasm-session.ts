/**
 * A session on real models without WebGPU: the runtime's EnginePool runs each chosen GGUF model from the WASM
 * catalog with llama.cpp compiled to WebAssembly, on the CPU, one worker each (one thread each, since the
 * agents share the cores). Weights are cached in the browser (OPFS) after the first download.
 */
import { agentNames, EnginePool, wasmCatalogModel, type PoolEvent, type WasmCatalogModel } from '@attention-moa/core';
import type { ProtocolSettings } from './modes.js';
import type { Session } from './session.js';

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
  if (!o.models.length) throw new RangeError('Pick at least one model to run on the CPU.');
  if (new Set(o.models).size !== o.models.length) throw new RangeError('Each model can be picked once: the same model twice would answer the same way.');
  const models = o.models.map(wasmCatalogModel);
  const names = wasmAgentNames(models);
  const aggregatorIndex = Math.min(Math.max(0, o.aggregatorIndex), models.length - 1);
  const pool = new EnginePool({
    // Keyed by catalog id, so the pool's events name the same rows as the setup screen.
    models: Object.fromEntries(models.map((m) => [m.id, { kind: 'wllama' as const, model: m.url, modelId: m.id, contextWindow: m.suggestedContextWindow }])),
    protocol: {
      agents: models.map((m, i) => ({ name: names[i]!, model: m.id })),
      aggregator: { model: models[aggregatorIndex]!.id },
      layers: o.settings.layers,
      attention: o.settings.attention,
      residual: true,
    },
    onEvent: o.onEvent,
  });
  try {
    await pool.load({ signal: o.signal });
  } catch (error) {
    await pool.dispose();
    throw error;
  }
  return {
    kind: 'wasm',
    label: `${models.length} model${models.length === 1 ? '' : 's'} running on this device's CPU (WebAssembly)`,
    agents: models.map((m, i) => ({ name: names[i]!, engine: pool.engine(m.id), contextWindow: m.suggestedContextWindow })),
    aggregator: names[aggregatorIndex]!,
    models: models.map((m) => m.id),
    prepare: () => undefined,
    dispose: () => pool.dispose(),
  };
}
