/**
 * The protocol and the runtime, loaded on first use. A page that only shows `<attention-moa>` loads the element
 * (Lit, templates, settings checks); the orchestrator, the engine pool and everything under them arrive with the
 * first question or `load()`. Every value the element takes from core at run time comes through here; the few it
 * needs at once (settings lists, `isChatEngine`, `stripPartialReasoning`) are small modules imported statically.
 */
export type Core = typeof import('@attention-moa/core');

let loading: Promise<Core> | undefined;

export function loadCore(): Promise<Core> {
  loading ??= import('@attention-moa/core').catch((error: unknown) => {
    // A failed fetch (offline, a CDN that lost the chunk) must not be cached: the next question tries again.
    loading = undefined;
    throw error;
  });
  return loading;
}
