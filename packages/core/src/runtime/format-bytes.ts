/**
 * Sizes for people, one convention for the whole project (core's progress text, the element, the demo): decimal
 * units (1 kB = 1000 B, 1 MB = 10⁶ B, 1 GB = 10⁹ B), as download sizes and disk quotas are given; whole kB and MB,
 * one decimal for GB below 10 GB. '?' for a size that is not a size.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(bytes >= 1e10 ? 0 : 1)} GB`;
  if (bytes >= 1e6) return `${Math.round(bytes / 1e6)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${Math.round(bytes)} B`;
}
