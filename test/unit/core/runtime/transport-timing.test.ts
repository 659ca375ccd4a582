import { describe, expect, it } from 'vitest';
import { epochNow, withTransportTiming } from '../../../../packages/core/src/runtime/transport-timing.js';

describe('transport timing of a worker call', () => {
  it('adds the trips, the worker queue and the worker time to usage.extra, in seconds, keeping what was there', () => {
    const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, extra: { e2e_latency_s: 0.2, engine: 'wllama' } };
    const out = withTransportTiming(usage, 1000, { receivedAt: 1000.4, startedAt: 1003.4, endedAt: 1204.4 }, 1205.15);
    expect(out.extra).toEqual({ e2e_latency_s: 0.2, engine: 'wllama', to_worker_s: 0.0004, worker_queue_s: 0.003, in_worker_s: 0.201, from_worker_s: 0.00075 });
    expect(out).toMatchObject({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 });
    expect(usage.extra).not.toHaveProperty('to_worker_s'); // the input is not changed
  });

  it('works on usage without extra, and epoch clocks are close to Date.now()', () => {
    const out = withTransportTiming({ prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 }, 0, { receivedAt: 1, startedAt: 1, endedAt: 2 }, 3);
    expect(out.extra).toEqual({ to_worker_s: 0.001, worker_queue_s: 0, in_worker_s: 0.001, from_worker_s: 0.001 });
    expect(Math.abs(epochNow() - Date.now())).toBeLessThan(1000);
  });
});
