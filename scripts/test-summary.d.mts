// Types for scripts/test-summary.mjs (imported by test/unit/scripts/test-summary.test.ts).
export interface TestSummary {
  passed: number;
  failed: number;
  skipped: number;
  todo: number;
  flaky: number;
  failedNames: string[];
  flakyNames: string[];
  skippedNames: string[];
}
export function summarize(input: { unit?: unknown; e2e?: unknown; exitStatus?: number; root?: string }): TestSummary;
export function formatSummary(summary: TestSummary): string[];
