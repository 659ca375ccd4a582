import { describe, expect, it } from 'vitest';
// An internal of the package (not exported): tested where it lives.
import { PermitQueue } from '../../../../packages/core/src/protocol/permit-queue.js';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('PermitQueue', () => {
  it('grants up to its limit at once and the rest first come, first served', async () => {
    const queue = new PermitQueue(2);
    const order: string[] = [];
    const releases = new Map<string, () => void>();
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      void queue.acquire().then((release) => {
        order.push(name);
        releases.set(name, release);
      });
    }
    await tick();
    expect(order).toEqual(['a', 'b']);
    expect(queue.inUse).toBe(2);
    expect(queue.waiting).toBe(3);
    releases.get('b')!();
    await tick();
    expect(order).toEqual(['a', 'b', 'c']);
    releases.get('a')!();
    releases.get('a')!(); // idempotent: a second release does not free another slot
    await tick();
    expect(order).toEqual(['a', 'b', 'c', 'd']);
    expect(queue.inUse).toBe(2);
    releases.get('c')!();
    releases.get('d')!();
    await tick();
    releases.get('e')!();
    expect(queue.inUse).toBe(0);
  });

  it('an aborted waiter leaves the queue at once and does not take a slot', async () => {
    const queue = new PermitQueue(1);
    const first = await queue.acquire();
    const controller = new AbortController();
    const waiting = queue.acquire(controller.signal);
    const next = queue.acquire();
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(queue.waiting).toBe(1);
    first();
    const release = await next;
    expect(queue.inUse).toBe(1);
    release();
    await expect(queue.acquire(controller.signal)).rejects.toThrow('stop');
  });
});
