/**
 * A session is what answers questions once the visitor pressed start: simulated agents, or real models loaded by
 * the runtime. Both hand the protocol the same thing, a list of agents with engines, so everything downstream
 * (the element, comparisons, persistence) is the same code for both.
 */
import type { AgentConfig } from '@attention-moa/core';
import { SIMULATION_LABEL, Simulation, type SimulationSpeed } from '../simulation/simulated-agents.js';
import type { RunMode } from './modes.js';

export interface Session {
  /** Simulated agents, WebLLM models on WebGPU, or GGUF models on the CPU (llama.cpp in WebAssembly). */
  kind: 'simulation' | 'webgpu' | 'wasm';
  /** Shown next to every answer. */
  label: string;
  agents: AgentConfig[];
  /** Agent name of the aggregator. */
  aggregator: string;
  /** Model id per agent (real models only). */
  models?: string[];
  /** Called before every run (the simulation picks its script from the question). */
  prepare(question: string, mode: RunMode): void;
  dispose(): Promise<void>;
}

export function simulationSession(options: { agents: number; aggregatorIndex: number; speed: SimulationSpeed; stopPhrase: string }): Session & { simulation: Simulation } {
  const simulation = new Simulation({ agents: options.agents, speed: options.speed, stopPhrase: options.stopPhrase });
  const agents = simulation.agents();
  const aggregator = agents[Math.min(Math.max(0, options.aggregatorIndex), agents.length - 1)]!.name;
  return {
    kind: 'simulation',
    label: SIMULATION_LABEL,
    agents,
    aggregator,
    simulation,
    prepare: (question, mode) => simulation.prepare(question, mode),
    dispose: async () => {
      for (const engine of simulation.engines) engine.interruptGenerate();
    },
  };
}
