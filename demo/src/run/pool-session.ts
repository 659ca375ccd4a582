/**
 * The one way a session on real models starts, whatever the backend: the runtime's EnginePool loads each chosen
 * model in its own worker (planned before any byte is downloaded; swapped when they do not all fit), a failed or
 * cancelled load frees what it loaded, and the engines become the session's agents. The backends differ only in
 * their engine specs, agent names and labels (`model-session.ts` for WebGPU, `wasm-session.ts` for the CPU).
 */
import { EnginePool, type AgentConfig, type Capabilities, type EngineSpec, type PoolEvent } from '@attention-moa/core';
import type { ProtocolSettings } from './modes.js';
import type { Session } from './session.js';

export interface PoolAgent extends Omit<AgentConfig, 'engine' | 'model'> {
  /** The pool's key for the model (the id the setup screen shows; the pool's events name it). */
  id: string;
  spec: EngineSpec;
}

export interface PoolSessionPlan {
  kind: 'webgpu' | 'wasm';
  /** Shown next to every answer. */
  label: string;
  /** One agent per model, in order. */
  agents: PoolAgent[];
  aggregatorIndex: number;
  settings: ProtocolSettings;
  memoryBudgetMB?: number;
  /** Already detected: the pool skips its own detection. */
  capabilities?: Capabilities;
  onEvent(event: PoolEvent): void;
  signal: AbortSignal;
}

/** The picks a session can start from: at least one, each once. */
export function checkPicks(ids: readonly string[], none: string): void {
  if (!ids.length) throw new RangeError(none);
  if (new Set(ids).size !== ids.length) throw new RangeError('Each model can be picked once: the same model twice would answer the same way.');
}

/** Clamped into the list, so a stale choice (fewer models picked now) still names an agent. */
export function clampIndex(index: number, length: number): number {
  return Math.min(Math.max(0, index), length - 1);
}

export async function loadPoolSession(p: PoolSessionPlan): Promise<Session> {
  const aggregatorIndex = clampIndex(p.aggregatorIndex, p.agents.length);
  const pool = new EnginePool({
    models: Object.fromEntries(p.agents.map((a) => [a.id, a.spec])),
    ...(p.memoryBudgetMB !== undefined ? { memoryBudgetMB: p.memoryBudgetMB } : {}),
    ...(p.capabilities ? { capabilities: p.capabilities } : {}),
    protocol: {
      agents: p.agents.map((a) => ({ name: a.name, model: a.id })),
      aggregator: { model: p.agents[aggregatorIndex]!.id },
      layers: p.settings.layers,
      attention: p.settings.attention,
      residual: true,
    },
    onEvent: p.onEvent,
  });
  try {
    await pool.load({ signal: p.signal });
  } catch (error) {
    await pool.dispose();
    throw error;
  }
  return {
    kind: p.kind,
    label: p.label,
    agents: p.agents.map(({ id, spec: _spec, ...agent }) => ({ ...agent, engine: pool.engine(id) })),
    aggregator: p.agents[aggregatorIndex]!.name,
    models: p.agents.map((a) => a.id),
    prepare: () => undefined,
    dispose: () => pool.dispose(),
  };
}
