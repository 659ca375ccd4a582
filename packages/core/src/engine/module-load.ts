/**
 * Loading code on demand, and saying exactly what failed when it does not load. Two failures look alike to a
 * browser and mean very different things to a page author:
 *
 * - a **file of this library** (an engine's chunk, emitted by the app's build) did not load: the build did not emit
 *   it, or the server does not serve it. Browsers report "Failed to fetch dynamically imported module: <url>"; this
 *   is never a problem with the model's host, so it is reported with that URL as LIBRARY_FILE_MISSING.
 * - a **backend package** (`@mlc-ai/web-llm`, `@wllama/wllama`: optional peer dependencies) is not installed: Vite
 *   builds a stub that throws "Could not resolve …", webpack's `alias: { pkg: false }` an empty module. That is
 *   BACKEND_NOT_INSTALLED, with the `npm install` that fixes it.
 */
import { isRuntimeError, runtimeError, type RuntimeError } from './errors.js';

/** The URL named by a failed dynamic import's message (Chromium, Firefox; Safari names none). */
function failedImportUrl(message: string): string | undefined {
  return /(?:dynamically imported module|module script failed)[^:]*:\s*(\S+)/i.exec(message)?.[1];
}

/** A failed `import()` of one of this library's own files, as LIBRARY_FILE_MISSING; undefined for other errors. */
export function libraryFileError(error: unknown, what: string): RuntimeError | undefined {
  const message = String((error as Error)?.message ?? error);
  if (!/dynamically imported module|Importing a module script failed|module script failed/i.test(message)) return undefined;
  const url = failedImportUrl(message);
  return runtimeError('LIBRARY_FILE_MISSING', { ...(url ? { url } : {}), causeMessage: message }, {
    cause: error,
    message:
      `A file of @attention-moa/core (${what}) could not be loaded${url ? `: ${url}` : ''}. Your app's build did not emit it, or your ` +
      'server does not serve it: deploy the whole build output (the agent worker and its chunks sit next to your other files), and see "Use it in your app" in the README.',
  });
}

/**
 * Imports an optional backend package. `ready` checks the module is the real one (webpack's `false` alias yields an
 * empty module). Rejects with BACKEND_NOT_INSTALLED naming the package, or LIBRARY_FILE_MISSING for a missing chunk.
 */
export async function importBackend<T>(pkg: '@mlc-ai/web-llm' | '@wllama/wllama', load: () => Promise<T>, ready: (module: T) => boolean): Promise<T> {
  let module: T;
  try {
    module = await load();
  } catch (error) {
    if (isRuntimeError(error)) throw error;
    const missingFile = libraryFileError(error, pkg);
    if (missingFile) throw missingFile;
    if (/could not resolve|cannot find module|failed to resolve/i.test(String((error as Error)?.message ?? error))) throw notInstalled(pkg, error);
    throw error;
  }
  if (!module || !ready(module)) throw notInstalled(pkg);
  return module;
}

function notInstalled(pkg: string, cause?: unknown): RuntimeError {
  const kind = pkg === '@mlc-ai/web-llm' ? 'WebGPU models (WebLLM)' : 'GGUF models on the CPU (wllama)';
  return runtimeError('BACKEND_NOT_INSTALLED', { package: pkg }, {
    ...(cause !== undefined ? { cause } : {}),
    message: `${kind} need the package ${pkg}, which is not in this app: run \`npm install ${pkg}\` and build again (it is an optional peer dependency of @attention-moa/core).`,
  });
}
