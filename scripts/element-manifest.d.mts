// Types for scripts/element-manifest.mjs (imported by test/unit/element-manifest.test.ts).
export const MANIFEST_PATH: string;
export function buildManifest(api: typeof import('../packages/element/src/element-api.js')): unknown;
export function serialize(manifest: unknown): string;
