/**
 * A session on real models: the runtime's EnginePool loads each chosen WebLLM model in its own worker (planned
 * against the memory budget before any byte is downloaded; swapped in and out when they do not all fit) and hands
 * back engines for the protocol. web-llm itself is only ever loaded inside those workers.
 */
import { agentNames as coreAgentNames, EnginePool, type Capabilities, type PoolEvent } from '@attention-moa/core';
import { shortName, type ModelCatalog } from '../catalog/model-catalog.js';
import type { ProtocolSettings } from './modes.js';
import type { Session } from './session.js';

export interface ModelSessionOptions {
  /** Exact WebLLM model ids, one agent each. */
  models: string[];
  aggregatorIndex: number;
  catalog: ModelCatalog;
  memoryBudgetMB: number;
  settings: ProtocolSettings;
  /** Already detected: the pool skips its own detection. */
  capabilities: Capabilities;
  onEvent(event: PoolEvent): void;
  signal: AbortSignal;
}

/** Agent names from model ids: the catalog's short names, unique by core's rule (the full id where two read the same). */
export function agentNames(models: readonly string[]): string[] {
  return coreAgentNames(models, shortName);
}

export async function loadModelSession(o: ModelSessionOptions): Promise<Session> {
  if (!o.models.length) throw new RangeError('Pick at least one model.');
  if (new Set(o.models).size !== o.models.length) throw new RangeError('Each model can be picked once: the same model twice would answer the same way.');
  const records = o.models.map((id) => o.catalog.require(id));
  const names = agentNames(o.models);
  const aggregatorIndex = Math.min(Math.max(0, o.aggregatorIndex), o.models.length - 1);
  const pool = new EnginePool({
    models: Object.fromEntries(o.models.map((id) => [id, { kind: 'webllm' as const, model: id }])),
    memoryBudgetMB: o.memoryBudgetMB,
    capabilities: o.capabilities,
    protocol: {
      agents: o.models.map((id, i) => ({ name: names[i]!, model: id })),
      aggregator: { model: o.models[aggregatorIndex]! },
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
  const agents = o.models.map((id, i) => ({
    name: names[i]!,
    engine: pool.engine(id),
    contextWindow: records[i]!.contextWindow,
    // Gemma's chat template rejects a system turn: the protocol then puts its instructions in the first user turn.
    ...(/gemma/i.test(id) ? { noSystemRole: true } : {}),
  }));
  return {
    kind: 'webgpu',
    label: `${o.models.length} model${o.models.length === 1 ? '' : 's'} running on this device`,
    agents,
    aggregator: names[aggregatorIndex]!,
    models: [...o.models],
    prepare: () => undefined,
    dispose: () => pool.dispose(),
  };
}
