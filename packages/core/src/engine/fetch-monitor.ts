/**
 * Worker-side `fetch` wrapper that remembers which requests failed and how, so a load error can name the URL
 * and HTTP status WebLLM's own errors leave out. It also checks a model's `mlc-chat-config.json` as it arrives
 * and rejects an invalid one before it is cached (WebLLM would otherwise fail much later, or cache the bad file).
 */
import type { FetchFailure } from './classify-error.js';

export interface FetchMonitor {
  /** Failures since the last reset, oldest first. */
  readonly failures: readonly FetchFailure[];
  /** URLs requested since the last reset, oldest first. */
  readonly requested: readonly string[];
  reset(): void;
}

/** The fields WebLLM reads from mlc-chat-config.json before anything else; without them it cannot load. */
export function checkChatConfig(text: string): string | undefined {
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    const preview = text.slice(0, 40).replace(/\s+/g, ' ');
    return `not JSON: ${(error as Error).message}; it starts with ${JSON.stringify(preview)}`;
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return 'not a JSON object';
  const c = config as Record<string, unknown>;
  if (!Array.isArray(c.tokenizer_files)) return 'no "tokenizer_files" list';
  if (c.conv_template === undefined) return 'no "conv_template"';
  return undefined;
}

let monitor: (FetchMonitor & { failures: FetchFailure[]; requested: string[] }) | undefined;

function urlOf(input: RequestInfo | URL): string {
  if (typeof input === 'string') return new URL(input, globalThis.location?.href).href;
  if (input instanceof URL) return input.href;
  return input.url;
}

/** Wraps `globalThis.fetch` once per worker and returns the monitor. */
export function installFetchMonitor(): FetchMonitor {
  if (monitor) return monitor;
  const state = {
    failures: [] as FetchFailure[],
    requested: [] as string[],
    reset() {
      state.failures.length = 0;
      state.requested.length = 0;
    },
  };
  monitor = state;
  const original = globalThis.fetch.bind(globalThis);
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = urlOf(input);
    state.requested.push(url);
    let response: Response;
    try {
      response = await original(input, init);
    } catch (error) {
      if ((error as { name?: string })?.name !== 'AbortError') state.failures.push({ url, network: (error as Error)?.message ?? String(error) });
      throw error;
    }
    if (!response.ok) {
      state.failures.push({ url, status: response.status });
      return response;
    }
    if (/\/mlc-chat-config\.json(?:$|\?)/.test(url)) {
      const problem = checkChatConfig(await response.clone().text());
      if (problem) {
        state.failures.push({ url, badConfig: problem });
        throw new TypeError(`invalid model config ${url}: ${problem}`);
      }
    }
    return response;
  };
  return state;
}
