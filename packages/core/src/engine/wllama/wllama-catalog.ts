/**
 * Small instruct GGUF models the WASM engine runs well on a CPU, for users to pick from. Any other GGUF URL
 * or a local file works too (`WllamaSpec.model`). Sizes are the download sizes Hugging Face lists (rounded
 * to the MB); picking one of these fetches it from huggingface.co, the only request leaving the origin.
 */

export interface WasmCatalogModel {
  /** Stable id for configs and the UI. */
  id: string;
  name: string;
  /** Hugging Face repository and file. */
  repo: string;
  file: string;
  url: string;
  /** Download size as listed by Hugging Face, in bytes (rounded to the MB). */
  approxBytes: number;
  parameters: string;
  quantization: string;
  /** The model's own maximum context (tokens). */
  trainingContext: number;
  /** A context window that keeps memory and prefill time reasonable on a CPU. */
  suggestedContextWindow: number;
  license: string;
  licenseUrl: string;
}

const hf = (repo: string, file: string) => `https://huggingface.co/${repo}/resolve/main/${file}`;

function entry(m: Omit<WasmCatalogModel, 'url'>): WasmCatalogModel {
  return { ...m, url: hf(m.repo, m.file) };
}

export const WASM_MODEL_CATALOG: readonly WasmCatalogModel[] = [
  entry({
    id: 'smollm2-135m-instruct-q8_0',
    name: 'SmolLM2 135M Instruct',
    repo: 'bartowski/SmolLM2-135M-Instruct-GGUF',
    file: 'SmolLM2-135M-Instruct-Q8_0.gguf',
    approxBytes: 145_000_000,
    parameters: '135M',
    quantization: 'Q8_0',
    trainingContext: 8192,
    suggestedContextWindow: 2048,
    license: 'Apache-2.0',
    licenseUrl: 'https://www.apache.org/licenses/LICENSE-2.0',
  }),
  entry({
    id: 'smollm2-360m-instruct-q8_0',
    name: 'SmolLM2 360M Instruct',
    repo: 'HuggingFaceTB/SmolLM2-360M-Instruct-GGUF',
    file: 'smollm2-360m-instruct-q8_0.gguf',
    approxBytes: 386_000_000,
    parameters: '360M',
    quantization: 'Q8_0',
    trainingContext: 8192,
    suggestedContextWindow: 2048,
    license: 'Apache-2.0',
    licenseUrl: 'https://www.apache.org/licenses/LICENSE-2.0',
  }),
  entry({
    id: 'qwen2.5-0.5b-instruct-q4_k_m',
    name: 'Qwen2.5 0.5B Instruct',
    repo: 'bartowski/Qwen2.5-0.5B-Instruct-GGUF',
    file: 'Qwen2.5-0.5B-Instruct-Q4_K_M.gguf',
    approxBytes: 398_000_000,
    parameters: '494M',
    quantization: 'Q4_K_M',
    trainingContext: 32768,
    suggestedContextWindow: 4096,
    license: 'Apache-2.0',
    licenseUrl: 'https://www.apache.org/licenses/LICENSE-2.0',
  }),
  entry({
    id: 'llama-3.2-1b-instruct-q4_k_m',
    name: 'Llama 3.2 1B Instruct',
    repo: 'bartowski/Llama-3.2-1B-Instruct-GGUF',
    file: 'Llama-3.2-1B-Instruct-Q4_K_M.gguf',
    approxBytes: 808_000_000,
    parameters: '1.24B',
    quantization: 'Q4_K_M',
    trainingContext: 131072,
    suggestedContextWindow: 4096,
    license: 'Llama 3.2 Community License',
    licenseUrl: 'https://www.llama.com/llama3_2/license/',
  }),
];

/** A catalog model by id; throws naming the known ids when there is none. */
export function wasmCatalogModel(id: string): WasmCatalogModel {
  const found = WASM_MODEL_CATALOG.find((m) => m.id === id);
  if (!found) throw new RangeError(`No WASM catalog model "${id}". Known: ${WASM_MODEL_CATALOG.map((m) => m.id).join(', ')}; or give any GGUF URL or file.`);
  return found;
}
