/**
 * Checks a chat-completions request as OpenAI does — same status, `param` and `code` for each fault — and turns it
 * into the ensemble's conversation. Every refusal says what is wrong and what to send instead.
 */
import type { ChatMessage } from '../../engine/contract.js';
import { badParam, OpenAIRequestError } from './errors.js';

export interface ValidRequest {
  messages: ChatMessage[];
  model?: string;
  stream: boolean;
  includeUsage: boolean;
}

/** Parameters that change nothing the ensemble can honour or refuse: type-checked, then ignored (documented). */
const NUMERIC: Record<string, { min: number; max: number; integer?: boolean }> = {
  temperature: { min: 0, max: 2 },
  top_p: { min: 0, max: 1 },
  max_tokens: { min: 1, max: Number.MAX_SAFE_INTEGER, integer: true },
  max_completion_tokens: { min: 1, max: Number.MAX_SAFE_INTEGER, integer: true },
  frequency_penalty: { min: -2, max: 2 },
  presence_penalty: { min: -2, max: 2 },
  seed: { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, integer: true },
  top_logprobs: { min: 0, max: 20, integer: true },
};
const IGNORED = new Set(['user', 'metadata', 'store', 'service_tier', 'logit_bias', 'parallel_tool_calls', 'reasoning_effort', 'verbosity', 'prompt_cache_key', 'safety_identifier']);
const HANDLED = new Set(['messages', 'model', 'stream', 'stream_options', 'stop', 'n', 'tools', 'tool_choice', 'functions', 'function_call', 'response_format', 'logprobs', 'modalities', 'audio', 'prediction', 'web_search_options']);

const ROLES = ['system', 'developer', 'user', 'assistant'];

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function invalidType(param: string, expected: string, value: unknown): OpenAIRequestError {
  return badParam(param, 'invalid_type', `Invalid type for '${param}': expected ${expected}, but got ${typeName(value)} instead.`);
}

function unsupported(param: string, why: string): OpenAIRequestError {
  return badParam(param, 'unsupported_parameter', `Unsupported parameter: '${param}' ${why}`);
}

function content(value: unknown, param: string): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) throw invalidType(param, 'a string or an array of text parts { type: "text", text }', value);
  return value
    .map((part: unknown, j) => {
      const p = part as { type?: unknown; text?: unknown } | null;
      if (typeof p !== 'object' || p === null) throw invalidType(`${param}[${j}]`, 'an object { type: "text", text }', part);
      if (p.type !== 'text') {
        throw badParam(`${param}[${j}].type`, 'unsupported_value', `Unsupported value: '${param}[${j}].type' is ${JSON.stringify(p.type)}; the ensemble's models read text only, so send parts of type 'text' (or a plain string).`);
      }
      if (typeof p.text !== 'string') throw invalidType(`${param}[${j}].text`, 'a string', p.text);
      return p.text;
    })
    .join('\n');
}

function message(value: unknown, i: number): ChatMessage {
  const param = `messages[${i}]`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidType(param, 'an object { role, content }', value);
  const m = value as Record<string, unknown>;
  if (m.role === undefined) throw badParam(`${param}.role`, 'missing_required_parameter', `Missing required parameter: '${param}.role'. Use 'system', 'developer', 'user' or 'assistant'.`);
  if (m.role === 'tool' || m.role === 'function') {
    throw badParam(`${param}.role`, 'unsupported_value', `Unsupported value: '${param}.role' is '${m.role}'; the ensemble does not call tools. Send 'system', 'developer', 'user' or 'assistant' messages.`);
  }
  if (typeof m.role !== 'string' || !ROLES.includes(m.role)) {
    throw badParam(`${param}.role`, 'invalid_value', `Invalid value: ${JSON.stringify(m.role)}. Supported values are: 'system', 'developer', 'user' and 'assistant'.`);
  }
  if (m.tool_calls !== undefined && m.tool_calls !== null) throw unsupported(`${param}.tool_calls`, 'is not supported: the ensemble does not call tools.');
  if (m.content === undefined || m.content === null) {
    throw badParam(`${param}.content`, 'missing_required_parameter', `Missing required parameter: '${param}.content'. Give the message's text as a string.`);
  }
  return { role: m.role === 'developer' ? 'system' : (m.role as ChatMessage['role']), content: content(m.content, `${param}.content`) };
}

/** Throws the 400 for a body (or `create` argument) that is not a JSON object. */
export function assertRequestObject(params: unknown): asserts params is Record<string, unknown> {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new OpenAIRequestError(400, `The request body must be a JSON object like { "model": "attention-moa", "messages": [{ "role": "user", "content": "Hi" }] }, but got ${typeName(params)}.`, { code: 'invalid_request_body' });
  }
}

/** Validates `params` (a parsed JSON body, or the object passed to `create`). Throws OpenAIRequestError (400). */
export function validateRequest(params: unknown): ValidRequest {
  assertRequestObject(params);
  const p = params;
  for (const key of Object.keys(p)) {
    if (p[key] === undefined) continue;
    if (!HANDLED.has(key) && !IGNORED.has(key) && !(key in NUMERIC)) {
      throw badParam(key, 'unknown_parameter', `Unrecognized request argument supplied: ${key}`);
    }
  }

  if (p.messages === undefined) throw badParam('messages', 'missing_required_parameter', "Missing required parameter: 'messages'. Send the conversation, e.g. [{ \"role\": \"user\", \"content\": \"Hi\" }].");
  if (!Array.isArray(p.messages)) throw invalidType('messages', 'an array of { role, content } objects', p.messages);
  if (p.messages.length === 0) throw badParam('messages', 'empty_array', "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.");
  const messages = p.messages.map(message);

  if (p.model !== undefined && p.model !== null && typeof p.model !== 'string') throw invalidType('model', 'a string', p.model);
  if (p.stream !== undefined && p.stream !== null && typeof p.stream !== 'boolean') throw invalidType('stream', 'a boolean', p.stream);
  const stream = p.stream === true;
  let includeUsage = false;
  if (p.stream_options !== undefined && p.stream_options !== null) {
    if (!stream) throw badParam('stream_options', 'invalid_value', "The 'stream_options' parameter is only allowed when 'stream' is enabled.");
    if (typeof p.stream_options !== 'object' || Array.isArray(p.stream_options)) throw invalidType('stream_options', 'an object { include_usage }', p.stream_options);
    const include = (p.stream_options as { include_usage?: unknown }).include_usage;
    if (include !== undefined && include !== null && typeof include !== 'boolean') throw invalidType('stream_options.include_usage', 'a boolean', include);
    includeUsage = include === true;
  }

  for (const [key, range] of Object.entries(NUMERIC)) {
    const value = p[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidType(key, range.integer ? 'an integer' : 'a number', value);
    if ((range.integer && !Number.isInteger(value)) || value < range.min || value > range.max) {
      throw badParam(key, 'invalid_value', `Invalid '${key}': ${value} is not ${range.integer ? 'an integer ' : ''}between ${range.min} and ${range.max === Number.MAX_SAFE_INTEGER ? 'any size' : range.max}.`);
    }
  }
  if (p.stop !== undefined && p.stop !== null && typeof p.stop !== 'string' && !(Array.isArray(p.stop) && p.stop.every((s) => typeof s === 'string'))) {
    throw invalidType('stop', 'a string or an array of strings', p.stop);
  }
  if (p.user !== undefined && typeof p.user !== 'string') throw invalidType('user', 'a string', p.user);

  // Features the ensemble cannot honour: refused rather than silently dropped.
  if (p.n !== undefined && p.n !== null && p.n !== 1) {
    throw badParam('n', 'unsupported_value', `Unsupported value: 'n' is ${JSON.stringify(p.n)}; an ensemble gives one answer, so 'n' must be 1 (or left out).`);
  }
  for (const key of ['tools', 'functions'] as const) {
    if (p[key] !== undefined && p[key] !== null && !(Array.isArray(p[key]) && (p[key] as unknown[]).length === 0)) throw unsupported(key, 'is not supported: the ensemble does not call tools.');
  }
  for (const key of ['tool_choice', 'function_call'] as const) {
    if (p[key] !== undefined && p[key] !== null && p[key] !== 'none' && p[key] !== 'auto') throw unsupported(key, 'is not supported: the ensemble does not call tools.');
  }
  const format = p.response_format as { type?: unknown } | null | undefined;
  if (format !== undefined && format !== null && format.type !== 'text') {
    throw badParam('response_format.type', 'unsupported_value', `Unsupported value: 'response_format.type' is ${JSON.stringify(format.type)}; the ensemble answers in text only ('text', or leave it out).`);
  }
  if (p.logprobs === true) throw badParam('logprobs', 'unsupported_value', "Unsupported value: 'logprobs' is true; the answer is written by several models, so it has no log-probabilities.");
  if (p.audio !== undefined && p.audio !== null) throw unsupported('audio', 'is not supported: the ensemble answers in text only.');
  if (Array.isArray(p.modalities) && p.modalities.some((m) => m !== 'text')) throw badParam('modalities', 'unsupported_value', "Unsupported value: 'modalities' may only hold 'text'.");
  for (const key of ['prediction', 'web_search_options'] as const) {
    if (p[key] !== undefined && p[key] !== null) throw unsupported(key, 'is not supported by the ensemble.');
  }

  return { messages, ...(typeof p.model === 'string' ? { model: p.model } : {}), stream, includeUsage };
}
