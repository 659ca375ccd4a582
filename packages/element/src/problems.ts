/**
 * Everything that can go wrong, as the user reads it: what happened and the next step. The same object is shown in
 * the component and sent as the `moa-error` event's detail, so a page can show it its own way too.
 */
import type { ErrorInfo } from './view-model.js';

export type ProblemCode =
  | 'invalid-attribute'
  | 'no-engines'
  | 'protocol-unavailable'
  | 'webgpu-unavailable'
  | 'shader-f16-unsupported'
  | 'model-too-large'
  | 'device-lost'
  | 'download-failed'
  | 'storage-full'
  | 'unknown-model'
  | 'load-failed'
  | 'run-failed'
  | (string & {});

export interface Problem {
  /** Stable code (the runtime's error code when it had one). */
  code: ProblemCode;
  /** One line: what happened. */
  title: string;
  /** Details, e.g. the underlying error message. */
  message: string;
  /** What the user (or the page author) can do next. */
  nextStep: string;
  /** For configuration problems: the attribute or property at fault. */
  field?: string;
  /** The original error, when there was one. */
  error?: ErrorInfo;
}

export function attributeProblem(field: string, message: string, fix: string): Problem {
  return { code: 'invalid-attribute', title: `The "${field}" setting is not valid`, message, nextStep: fix, field };
}

interface Known {
  test: (e: ErrorInfo) => boolean;
  code: ProblemCode;
  title: string;
  nextStep: string;
}

const has = (e: ErrorInfo, pattern: RegExp) => pattern.test(`${e.name} ${e.code ?? ''} ${e.message}`);

// Matched in order; codes first (the runtime's typed errors), then names/messages (WebLLM and browser errors).
const KNOWN: Known[] = [
  {
    test: (e) => e.code === 'webgpu-unavailable' || has(e, /WebGPUNotAvailable|no (webgpu )?adapter|compatible GPU|WebGPU is not (supported|available)/i),
    code: 'webgpu-unavailable',
    title: 'This browser cannot run the models (no WebGPU)',
    nextStep: 'Open this page in Chrome or Edge 113+ (desktop or Android) or Safari 26+, with hardware acceleration turned on.',
  },
  {
    test: (e) => e.code === 'shader-f16-unsupported' || has(e, /ShaderF16|shader-f16/i),
    code: 'shader-f16-unsupported',
    title: 'Your GPU cannot run the 16-bit versions of these models',
    nextStep: 'Use the q4f32 variants of the same models (replace "q4f16" with "q4f32" in the model ids).',
  },
  {
    test: (e) => ['model-too-large', 'insufficient-memory', 'memory-budget-exceeded', 'out-of-memory'].includes(e.code ?? '') || has(e, /too (big|large)|out of memory|exceeds? (the )?(memory|budget)/i),
    code: 'model-too-large',
    title: 'These models do not fit in the memory available',
    nextStep: 'Choose smaller models (e.g. SmolLM2-360M or Qwen2.5-0.5B), fewer models, or close other tabs and try again.',
  },
  {
    test: (e) => e.code === 'device-lost' || has(e, /DeviceLost|device (was )?lost/i),
    code: 'device-lost',
    title: 'The GPU stopped responding (device lost)',
    nextStep: 'Usually out of GPU memory: reload the page and choose smaller or fewer models.',
  },
  {
    test: (e) => ['storage-full', 'quota-exceeded'].includes(e.code ?? '') || has(e, /QuotaExceeded|quota|storage (is )?full|no space/i),
    code: 'storage-full',
    title: 'There is not enough storage to cache the models',
    nextStep: 'Free some disk space or clear old site data (browser settings → Privacy → Site data), avoid private windows, then try again.',
  },
  {
    test: (e) => ['unknown-model', 'model-not-found'].includes(e.code ?? '') || has(e, /ModelNotFound|unknown model|Cannot find model record/i),
    code: 'unknown-model',
    title: 'A model id is not known',
    nextStep: 'Check the spelling of the ids in the "models" attribute against the WebLLM model list (they end in "-MLC").',
  },
  {
    test: (e) => ['download-failed', 'network'].includes(e.code ?? '') || has(e, /Failed to fetch|NetworkError|download|Cache\.add|ERR_|status 40\d|status 50\d/i),
    code: 'download-failed',
    title: 'Downloading a model failed',
    nextStep: 'Check your internet connection and try again; downloads resume from what is already cached.',
  },
];

/** A problem from any thrown value or protocol error. */
export function describeError(error: ErrorInfo, fallback: { code: ProblemCode; title: string; nextStep: string } = {
  code: 'run-failed',
  title: 'The answer could not be completed',
  nextStep: 'Try again; if it keeps failing, try fewer layers or other models.',
}): Problem {
  const known = KNOWN.find((k) => k.test(error));
  const base = known ?? fallback;
  return { code: error.code && !known ? error.code : base.code, title: base.title, message: `${error.name}: ${error.message}`, nextStep: base.nextStep, error };
}
