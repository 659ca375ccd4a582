/**
 * @attention-moa/core/lite — what a page needs before any question, without the protocol or the runtime: the
 * option lists to validate settings, the engine shape check, reasoning blocks hidden from text, agent names and
 * byte sizes for display. Every module re-exported here imports nothing but types, so importing this entry adds
 * a few kB to a page; `<attention-moa>` imports only this statically and loads `@attention-moa/core` on first use.
 */
export { TOPOLOGIES } from './protocol/topology.js';
export type { AttentionTopology } from './protocol/topology.js';
export { EARLY_STOP_MODES } from './protocol/early-stop-modes.js';
export { isChatEngine } from './engine/contract.js';
export type { ChatEngine, ChatMessage } from './engine/contract.js';
export type { EarlyStopMode } from './protocol/types.js';
export { stripReasoning, stripPartialReasoning } from './protocol/reasoning.js';
export { agentName, agentNames } from './protocol/agent-names.js';
export { formatBytes } from './runtime/format-bytes.js';
export { MoAError, isMoAError } from './engine/moa-error.js';
export { offDevice } from './engine/remote/off-device.js';
export type { OffDevice } from './engine/remote/off-device.js';
