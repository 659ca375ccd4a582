/**
 * Maps WebLLM's init-progress reports onto one 0..1 fraction per model.
 *
 * WebLLM restarts its `progress` at 0 for each step (download the weights, load them from the cache onto the GPU,
 * compile shaders) and says which step in `text`. A model already in the cache skips the download step, so the
 * ranges depend on whether a download was seen. The fraction never goes backwards.
 */
import type { LoadProgress } from '../hosted-engine.js';

export interface WebLLMInitReport {
  progress: number;
  timeElapsed: number;
  text: string;
}

const MB = 1024 * 1024;

export function createWebLLMProgressMapper(): (report: WebLLMInitReport) => LoadProgress {
  let downloading = false;
  let fraction = 0;
  return (report) => {
    const p = Number.isFinite(report.progress) ? Math.min(1, Math.max(0, report.progress)) : 0;
    const text = report.text ?? '';
    let next = fraction;
    let loadedBytes: number | undefined;
    let totalBytes: number | undefined;
    if (/^(Start to fetch params|Fetching param cache)/.test(text)) {
      downloading = true;
      next = 0.75 * p;
      const mb = /(\d+)MB fetched/.exec(text)?.[1];
      if (mb !== undefined) {
        loadedBytes = Number(mb) * MB;
        if (p > 0) totalBytes = Math.round(loadedBytes / p);
      }
    } else if (/^Loading model from cache/.test(text)) {
      next = downloading ? 0.75 + 0.17 * p : 0.85 * p;
      const mb = /(\d+)MB loaded/.exec(text)?.[1];
      if (mb !== undefined) {
        loadedBytes = Number(mb) * MB;
        if (p > 0) totalBytes = Math.round(loadedBytes / p);
      }
    } else if (/^Loading GPU shader modules/.test(text)) {
      next = downloading ? 0.92 + 0.07 * p : 0.85 + 0.14 * p;
    } else if (/^Finish loading/.test(text) || p >= 1) {
      next = /^Finish loading/.test(text) ? 1 : next;
    }
    fraction = Math.max(fraction, next);
    return {
      progress: fraction,
      text,
      elapsedSeconds: report.timeElapsed,
      ...(loadedBytes !== undefined ? { loadedBytes } : {}),
      ...(totalBytes !== undefined ? { totalBytes } : {}),
    };
  };
}
