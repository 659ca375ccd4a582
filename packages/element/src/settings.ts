/**
 * The element's settings (attributes or properties) → validated protocol options, or problems that name the
 * attribute, what is wrong and the fix. Attribute values arrive as text (`layers="abc"`), property values as any
 * JavaScript value; both go through here, and nothing is thrown.
 */
import { EARLY_STOP_MODES, TOPOLOGIES, type AttentionTopology, type EarlyStopMode } from '@attention-moa/core/lite';
import type { AttentionMoAOptions, RoleTokenLimits } from '@attention-moa/core';
import { attributeProblem, type Problem } from './problems.js';

export interface RawSettings {
  models?: unknown;
  remoteModels?: unknown;
  layers?: unknown;
  attention?: unknown;
  earlyStop?: unknown;
  maxTokens?: unknown;
  memoryBudget?: unknown;
  drafts?: unknown;
  math?: unknown;
}

/** A model on an OpenAI-compatible server (vLLM, Ollama, llama.cpp's server): one agent, run off the browser. */
export interface RemoteModel {
  model: string;
  baseURL: string;
}

export interface Settings {
  models: string[];
  /** `remote-models`: agents on OpenAI-compatible servers, after the `models` agents. */
  remote: RemoteModel[];
  /** Protocol options set by attributes (unset ones are left to the protocol's defaults). */
  protocol: Pick<AttentionMoAOptions, 'layers' | 'attention' | 'earlyStop' | 'maxTokens' | 'drafts'>;
  memoryBudgetBytes?: number;
  /** Show the run's drafts until the final answer replaces them (default on). */
  drafts: boolean;
  /** Render `$…$`, `\(…\)`, `$$…$$` and `\[…\]` in answers as formulas (default on). */
  math: boolean;
}

export const MAX_LAYERS = 10;
export const MAX_TOKENS_LIMIT = 32768;
const EARLY_STOP = EARLY_STOP_MODES;
const ROLES = ['propose', 'critique', 'refine', 'aggregate', 'residual'] as const;
const MODEL_ID = /^[A-Za-z0-9][\w.+-]*$/;

const isUnset = (v: unknown) => v === undefined || v === null || v === '';
const show = (v: unknown) => (typeof v === 'string' ? `"${v}"` : String(v));

function wholeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

export function parseModelList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter(Boolean);
  if (typeof value !== 'string') return [];
  return value.split(/[\s,]+/).map((v) => v.trim()).filter(Boolean);
}

/** "smollm2@http://127.0.0.1:8080/v1, qwen2.5:0.5b@http://127.0.0.1:11434/v1" → remote models, or what is wrong. */
export function parseRemoteModels(value: unknown): RemoteModel[] | string {
  if (typeof value !== 'string') return `remote-models must be text, got ${typeof value}`;
  const out: RemoteModel[] = [];
  for (const entry of value.split(/[\s,]+/).filter(Boolean)) {
    const m = /^([^@]+)@(.+)$/.exec(entry);
    if (!m) return `remote-models entry ${show(entry)} has no "@": write model@baseURL`;
    let url: URL;
    try {
      url = new URL(m[2]!);
    } catch {
      return `remote-models entry ${show(entry)} has no absolute URL after "@" (write it with http:// or https://)`;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `remote-models entry ${show(entry)} must use http: or https:`;
    if (url.username || url.password) return `remote-models entry ${show(entry)} carries credentials in its URL; attributes are public: set the agents property with createRemoteEngine({ apiKey }) instead`;
    const key = `${m[1]}@${m[2]}`;
    if (out.some((r) => `${r.model}@${r.baseURL}` === key)) return `remote-models lists ${show(entry)} more than once`;
    out.push({ model: m[1]!, baseURL: m[2]! });
  }
  return out;
}

export function parseSettings(raw: RawSettings): { settings: Settings; problems: Problem[] } {
  const problems: Problem[] = [];
  const settings: Settings = { models: [], remote: [], protocol: {}, drafts: true, math: true };

  if (!isUnset(raw.remoteModels)) {
    const parsed = parseRemoteModels(raw.remoteModels);
    if (typeof parsed === 'string') {
      problems.push(attributeProblem('remote-models', parsed, 'List model@baseURL entries separated by commas, e.g. remote-models="smollm2@http://127.0.0.1:8080/v1" (the model as the server names it, and its API root).'));
    } else settings.remote = parsed;
  }

  if (!isUnset(raw.models)) {
    if (typeof raw.models !== 'string' && !Array.isArray(raw.models)) {
      problems.push(attributeProblem('models', `models must be text, got ${typeof raw.models}`, 'List model ids separated by commas, e.g. models="Qwen2.5-0.5B-Instruct-q4f16_1-MLC, SmolLM2-360M-Instruct-q4f16_1-MLC".'));
    } else {
      const ids = parseModelList(raw.models);
      const bad = ids.filter((id) => !MODEL_ID.test(id));
      const seen = new Set<string>();
      const twice = ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
      if (bad.length) {
        problems.push(attributeProblem('models', `${bad.map(show).join(', ')} ${bad.length === 1 ? 'is not a model id' : 'are not model ids'}`, 'Model ids use letters, digits, ".", "_" and "-" (e.g. "Qwen2.5-0.5B-Instruct-q4f16_1-MLC"); separate them with commas.'));
      } else if (twice.length) {
        problems.push(attributeProblem('models', `${[...new Set(twice)].map(show).join(', ')} is listed more than once`, 'List each model once: every model is one agent.'));
      } else settings.models = ids;
    }
  }

  if (!isUnset(raw.layers)) {
    const n = wholeNumber(raw.layers);
    if (n === undefined || n < 1 || n > MAX_LAYERS) {
      problems.push(attributeProblem('layers', `layers must be a whole number from 1 to ${MAX_LAYERS}, got ${show(raw.layers)}`, `Use e.g. layers="2" (each layer is one propose → critique → refine → aggregate round).`));
    } else settings.protocol.layers = n;
  }

  if (!isUnset(raw.attention)) {
    const v = typeof raw.attention === 'string' ? raw.attention.trim().toLowerCase() : raw.attention;
    if (!(TOPOLOGIES as readonly unknown[]).includes(v)) {
      problems.push(attributeProblem('attention', `attention must be one of ${TOPOLOGIES.join(', ')}, got ${show(raw.attention)}`, 'Use attention="full" (every agent critiques every answer), "ring", "self" or "none".'));
    } else settings.protocol.attention = v as AttentionTopology;
  }

  if (!isUnset(raw.earlyStop)) {
    const v = typeof raw.earlyStop === 'string' ? raw.earlyStop.trim().toLowerCase() : raw.earlyStop;
    if (!EARLY_STOP.includes(v as EarlyStopMode)) {
      problems.push(attributeProblem('early-stop', `early-stop must be one of ${EARLY_STOP.join(', ')}, got ${show(raw.earlyStop)}`, 'Use early-stop="judge" (the aggregator decides), "similarity" or "off".'));
    } else settings.protocol.earlyStop = v as EarlyStopMode;
  }

  if (!isUnset(raw.maxTokens)) {
    const limits = parseMaxTokens(raw.maxTokens);
    if (typeof limits === 'string') {
      problems.push(attributeProblem('max-tokens', limits, `Use a whole number from 1 to ${MAX_TOKENS_LIMIT} (e.g. max-tokens="512"), or per role: max-tokens="propose:512, critique:128".`));
    } else settings.protocol.maxTokens = limits;
  }

  if (!isUnset(raw.memoryBudget)) {
    const bytes = parseBytes(raw.memoryBudget);
    if (bytes === undefined) {
      problems.push(attributeProblem('memory-budget', `memory-budget must be a size like "4GB" or "1500MB", got ${show(raw.memoryBudget)}`, 'Give the GPU memory the models may use, e.g. memory-budget="4GB" (a plain number means megabytes).'));
    } else settings.memoryBudgetBytes = bytes;
  }

  const drafts = parseSwitch(raw.drafts);
  if (drafts === undefined) {
    problems.push(attributeProblem('drafts', `drafts must be true or false, got ${show(raw.drafts)}`, 'Leave it out to show drafts (the default), or set drafts="false" to show only the final answer.'));
  } else if (!drafts) {
    settings.drafts = false;
    // Off: the protocol writes no drafts at all (a page's options.drafts applies when the attribute is left on).
    settings.protocol.drafts = false;
  }

  const math = parseSwitch(raw.math);
  if (math === undefined) {
    problems.push(attributeProblem('math', `math must be on or off, got ${show(raw.math)}`, 'Leave it out to show formulas (the default), or set math="off" to show dollar signs and backslashes as written.'));
  } else settings.math = math;

  return { settings, problems };
}

/** An on-by-default switch, like `spellcheck`: unset, true, "", "true" or "on" → true; false, "false" or "off" → false. */
export function parseSwitch(value: unknown): boolean | undefined {
  if (value === undefined || value === null || value === true) return true;
  if (value === false) return false;
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'true' || v === 'on') return true;
  if (v === 'false' || v === 'off') return false;
  return undefined;
}

/** "512" → the cap for answers (propose, refine, aggregate, residual); "propose:512, critique:128" → per role. */
export function parseMaxTokens(value: unknown): RoleTokenLimits | string {
  const single = wholeNumber(value);
  const inRange = (n: number) => n >= 1 && n <= MAX_TOKENS_LIMIT;
  if (single !== undefined) {
    if (!inRange(single)) return `max-tokens must be from 1 to ${MAX_TOKENS_LIMIT}, got ${single}`;
    return { propose: single, refine: single, aggregate: single, residual: single };
  }
  if (typeof value === 'object' && value !== null) {
    const out: RoleTokenLimits = {};
    for (const [role, n] of Object.entries(value)) {
      if (!(ROLES as readonly string[]).includes(role)) return `max-tokens has an unknown role "${role}" (roles: ${ROLES.join(', ')})`;
      const w = wholeNumber(n);
      if (w === undefined || !inRange(w)) return `max-tokens.${role} must be a whole number from 1 to ${MAX_TOKENS_LIMIT}, got ${show(n)}`;
      out[role as keyof RoleTokenLimits] = w;
    }
    return out;
  }
  if (typeof value !== 'string') return `max-tokens must be a number, got ${typeof value}`;
  const out: RoleTokenLimits = {};
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z]+)\s*[:=]\s*(\d+)$/i.exec(part);
    if (!m) return `max-tokens must be a number or "role:number" pairs, got "${value}"`;
    const role = m[1]!.toLowerCase();
    if (!(ROLES as readonly string[]).includes(role)) return `max-tokens has an unknown role "${m[1]}" (roles: ${ROLES.join(', ')})`;
    const n = Number(m[2]);
    if (!inRange(n)) return `max-tokens for ${role} must be from 1 to ${MAX_TOKENS_LIMIT}, got ${n}`;
    out[role as keyof RoleTokenLimits] = n;
  }
  return out;
}

/** "4GB", "3.5 GB", "1500MB", "2GiB", 1500 (MB) → bytes. */
export function parseBytes(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value * 1e6 : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(gb|gib|mb|mib|g|m)?\s*$/i.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (!(n > 0)) return undefined;
  const unit = (m[2] ?? 'mb').toLowerCase();
  const factor = unit === 'gib' ? 2 ** 30 : unit === 'mib' ? 2 ** 20 : unit.startsWith('g') ? 1e9 : 1e6;
  return Math.round(n * factor);
}
