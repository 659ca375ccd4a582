/**
 * A session on WebLLM models (WebGPU): catalog ids become agents with readable names and their context windows,
 * loaded by the shared pool session (`pool-session.ts`). web-llm itself is only ever loaded inside the workers.
 */
import { agentNames as coreAgentNames, type Capabilities, type PoolEvent } from '@attention-moa/core';
import { shortName, type ModelCatalog } from '../catalog/model-catalog.js';
import type { ProtocolSettings } from './modes.js';
import type { Session } from './session.js';
import { checkPicks, loadPoolSession } from './pool-session.js';

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
  checkPicks(o.models, 'Pick at least one model.');
  const records = o.models.map((id) => o.catalog.require(id));
  const names = agentNames(o.models);
  return loadPoolSession({
    kind: 'webgpu',
    label: `${o.models.length} model${o.models.length === 1 ? '' : 's'} running on this device`,
    agents: o.models.map((id, i) => ({
      id,
      spec: { kind: 'webllm', model: id },
      name: names[i]!,
      contextWindow: records[i]!.contextWindow,
      // Gemma's chat template rejects a system turn: the protocol then puts its instructions in the first user turn.
      ...(/gemma/i.test(id) ? { noSystemRole: true } : {}),
    })),
    aggregatorIndex: o.aggregatorIndex,
    settings: o.settings,
    memoryBudgetMB: o.memoryBudgetMB,
    capabilities: o.capabilities,
    onEvent: o.onEvent,
    signal: o.signal,
  });
}
