/**
 * Which engines send prompts off the browser: this package's remote engines, and clients of OpenAI-compatible
 * servers (the `openai` client and its kind carry a `baseURL`). The UI marks their agents, because the promise
 * that nothing leaves the device no longer holds for them.
 */
import { remoteBaseURL } from '../contract.js';

export interface OffDevice {
  /** The server's API root. */
  baseURL: string;
  /** `host[:port]`, for labels. */
  host: string;
  /** The server is on this computer (a loopback address): prompts leave the browser but not the device. */
  loopback: boolean;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Where an engine sends its prompts, when that is not this browser; undefined for in-browser engines. */
export function offDevice(engine: unknown): OffDevice | undefined {
  const baseURL = (engine as { remote?: { baseURL?: unknown } } | null)?.remote?.baseURL ?? remoteBaseURL(engine);
  if (typeof baseURL !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(baseURL, globalThis.location?.href);
  } catch {
    return { baseURL, host: baseURL, loopback: false };
  }
  // Even this page's own origin counts: a same-origin path may well be proxied to a server elsewhere.
  return { baseURL, host: url.host, loopback: LOOPBACK.test(url.hostname) };
}
