/**
 * The early-stop modes a run accepts. A module of its own, importing nothing, so a page can validate an
 * `early-stop` setting (the element does, as the attribute is set) without loading the protocol.
 */
import type { EarlyStopMode } from './types.js';

export const EARLY_STOP_MODES: readonly EarlyStopMode[] = ['judge', 'similarity', 'off'];
