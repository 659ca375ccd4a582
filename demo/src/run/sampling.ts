/**
 * What the visitor sets about how the models write: a system prompt and the sampling (temperature, top-p, the
 * answer's maximum length). Applied to every mode; kept with the setup choices between visits.
 */
import { DEFAULTS, type AttentionMoAOptions, type ChatMessage } from '@attention-moa/core';

export interface SamplingSettings {
  /** Sent first as a system message with every question ('' = none). */
  system: string;
  temperature: number;
  topP: number;
  /** Maximum tokens of an answer (propose, refine, aggregate, residual); critiques keep their own cap. */
  maxTokens: number;
}

export const DEFAULT_SAMPLING: SamplingSettings = {
  system: '',
  temperature: DEFAULTS.temperature,
  topP: 1,
  maxTokens: DEFAULTS.maxTokens.aggregate,
};

export const MAX_ANSWER_TOKENS = 2048;
const MAX_SYSTEM_CHARS = 4000;

/** Validates settings from the form or from storage; the message names the field, the range and the value. */
export function checkSampling(value: Partial<SamplingSettings>): SamplingSettings {
  const system = value.system ?? DEFAULT_SAMPLING.system;
  if (typeof system !== 'string') throw new TypeError('The system prompt must be text.');
  if (system.length > MAX_SYSTEM_CHARS) throw new RangeError(`The system prompt is ${system.length} characters; keep it under ${MAX_SYSTEM_CHARS} (it is sent with every call).`);
  const temperature = Number(value.temperature ?? DEFAULT_SAMPLING.temperature);
  if (!Number.isFinite(temperature) || temperature < 0 || temperature > 2) throw new RangeError(`Temperature must be from 0 to 2, got ${String(value.temperature)}.`);
  const topP = Number(value.topP ?? DEFAULT_SAMPLING.topP);
  if (!Number.isFinite(topP) || topP <= 0 || topP > 1) throw new RangeError(`Top-p must be above 0 and at most 1, got ${String(value.topP)}.`);
  const maxTokens = Number(value.maxTokens ?? DEFAULT_SAMPLING.maxTokens);
  if (!Number.isInteger(maxTokens) || maxTokens < 16 || maxTokens > MAX_ANSWER_TOKENS) {
    throw new RangeError(`Maximum answer length must be a whole number of tokens from 16 to ${MAX_ANSWER_TOKENS}, got ${String(value.maxTokens)}.`);
  }
  return { system, temperature, topP, maxTokens };
}

/** The protocol options these settings stand for. top_p 1 is every engine's default, so it is not sent. */
export function samplingOptions(s: SamplingSettings): Partial<AttentionMoAOptions> {
  const answer = s.maxTokens;
  return {
    temperature: s.temperature,
    ...(s.topP < 1 ? { topP: s.topP } : {}),
    maxTokens: { propose: Math.min(answer, DEFAULTS.maxTokens.propose), refine: Math.min(answer, DEFAULTS.maxTokens.refine), aggregate: answer, residual: answer },
  };
}

/** The system prompt as the first message of the conversation, or nothing. */
export function systemMessages(s: SamplingSettings): ChatMessage[] {
  return s.system.trim() ? [{ role: 'system', content: s.system.trim() }] : [];
}
