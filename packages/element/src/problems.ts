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
  | 'gpu-feature-missing'
  | 'model-too-large'
  | 'device-lost'
  | 'download-failed'
  | 'library-file-missing'
  | 'backend-not-installed'
  | 'storage-full'
  | 'unknown-model'
  | 'load-failed'
  | 'worker-failed'
  | 'context-overflow'
  | 'invalid-question'
  | 'invalid-options'
  | 'all-agents-failed'
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
const codeIn = (e: ErrorInfo, ...codes: string[]) => e.code !== undefined && codes.includes(e.code);

// Matched in order: the runtime's and the protocol's stable codes first, then error names and messages
// (WebLLM and browser errors that arrive untyped).
const KNOWN: Known[] = [
  {
    test: (e) => codeIn(e, 'NO_WEBGPU', 'NO_ADAPTER', 'webgpu-unavailable') || has(e, /WebGPUNotAvailable|no (webgpu )?adapter|compatible GPU|WebGPU is not (supported|available)/i),
    code: 'webgpu-unavailable',
    title: 'This browser cannot run the models (no WebGPU)',
    nextStep: 'Open this page in Chrome or Edge 113+ (desktop or Android) or Safari 26+, with hardware acceleration turned on.',
  },
  {
    test: (e) => codeIn(e, 'F16_MISSING', 'GPU_FEATURE_MISSING', 'shader-f16-unsupported') || has(e, /ShaderF16|shader-f16|FeatureSupport/i),
    code: 'gpu-feature-missing',
    title: 'Your GPU lacks a feature these models need',
    nextStep: 'Use the q4f32 variants of the same models (replace "q4f16" with "q4f32" in the model ids), or another browser.',
  },
  {
    test: (e) => codeIn(e, 'CANNOT_FIT', 'OUT_OF_MEMORY', 'model-too-large') || has(e, /too (big|large)|out of memory|exceeds? (the )?(memory|budget)/i),
    code: 'model-too-large',
    title: 'These models do not fit in the memory available',
    nextStep: 'Choose smaller models (e.g. SmolLM2-360M or Qwen2.5-0.5B), fewer models, or close other tabs and try again.',
  },
  {
    test: (e) => codeIn(e, 'DEVICE_LOST', 'device-lost') || has(e, /DeviceLost|device (was )?lost/i),
    code: 'device-lost',
    title: 'The GPU stopped responding (device lost)',
    nextStep: 'Usually out of GPU memory: reload the page and choose smaller or fewer models.',
  },
  {
    test: (e) => codeIn(e, 'QUOTA_EXCEEDED', 'storage-full') || has(e, /QuotaExceeded|quota|storage (is )?full|no space/i),
    code: 'storage-full',
    title: 'There is not enough storage to cache the models',
    nextStep: 'Free some disk space or clear old site data (browser settings → Privacy → Site data), avoid private windows, then try again.',
  },
  {
    test: (e) => codeIn(e, 'UNKNOWN_MODEL', 'unknown-model') || has(e, /ModelNotFound|unknown model|Cannot find model record/i),
    code: 'unknown-model',
    title: 'A model id is not known',
    nextStep: 'Check the spelling of the ids in the "models" attribute against the WebLLM model list (they end in "-MLC").',
  },
  {
    // Before download-failed: a missing chunk of the library reads "Failed to fetch dynamically imported module", but it
    // is the page's deployment (or its bundler), never the visitor's connection or the model host.
    test: (e) => codeIn(e, 'LIBRARY_FILE_MISSING') || has(e, /dynamically imported module|Importing a module script failed/i),
    code: 'library-file-missing',
    title: 'A file of this page could not be loaded',
    nextStep: "The page's build or its server is missing the file named above (a part of the assistant's code, not a model). The site owner should deploy the complete build output.",
  },
  {
    test: (e) => codeIn(e, 'BACKEND_NOT_INSTALLED'),
    code: 'backend-not-installed',
    title: 'The engine for these models is not part of this page',
    nextStep: 'The site owner should install the package named above (npm install …) and build the page again, or choose models for the engine it has.',
  },
  {
    test: (e) => codeIn(e, 'NETWORK', 'HTTP_404', 'HTTP_ERROR', 'BAD_MODEL_CONFIG', 'BAD_MODEL_LIB', 'download-failed') || has(e, /Failed to fetch|NetworkError|Cache\.add|ERR_NAME|status (40|50)\d/i),
    code: 'download-failed',
    title: 'Downloading a model failed',
    nextStep: 'Check your internet connection and try again; what is already downloaded stays cached.',
  },
  {
    test: (e) => codeIn(e, 'WORKER_CRASHED', 'WORKER_START_FAILED'),
    code: 'worker-failed',
    title: 'A model worker stopped',
    nextStep: 'Reload the page. If it keeps happening, the page may block workers (Content-Security-Policy worker-src) or the script host is unreachable.',
  },
  {
    test: (e) => codeIn(e, 'CONTEXT_OVERFLOW', 'CONTEXT_WINDOW_EXCEEDED'),
    code: 'context-overflow',
    title: 'The conversation is too long for these models',
    nextStep: 'Start a new conversation or ask a shorter question; models with a larger context window also help.',
  },
  {
    // The question itself (too long for every model, control characters, broken Unicode): the user can fix it.
    test: (e) => codeIn(e, 'MESSAGES_INVALID'),
    code: 'invalid-question',
    title: 'The question cannot be sent as it is',
    nextStep: 'Edit it as the message says (shorten it, or remove invisible control characters) and send it again: it is back in the prompt box.',
  },
  {
    test: (e) => codeIn(e, 'CONFIG_INVALID', 'PROMPT_INVALID', 'BAD_SPEC'),
    code: 'invalid-options',
    title: 'The protocol options are not valid',
    nextStep: 'Fix the option named in the message (attributes, or the agents / options properties).',
  },
  {
    test: (e) => codeIn(e, 'ALL_AGENTS_FAILED'),
    code: 'all-agents-failed',
    title: 'Every model failed during the answer',
    nextStep: 'Try again; if it keeps failing, try fewer layers, a lower max-tokens or other models.',
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
