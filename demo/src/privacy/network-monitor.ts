/**
 * Counts the network requests this page makes, from PerformanceObserver resource entries, so the privacy panel can
 * show that nothing is sent once the models are loaded. Requests made inside workers appear in the worker's own
 * timeline, not the page's; the model workers do not fetch after loading.
 */

export interface ObservedRequest {
  url: string;
  /** ms since the page started. */
  at: number;
  initiator: string;
  sameOrigin: boolean;
}

export class NetworkMonitor {
  private since: number | undefined;
  private readonly seen: ObservedRequest[] = [];
  private readonly listeners = new Set<() => void>();
  private observer: PerformanceObserver | undefined;

  start(): void {
    if (this.observer || typeof PerformanceObserver === 'undefined') return;
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as PerformanceResourceTiming[]) this.record(entry);
      this.notify();
    });
    // buffered: entries from before start() are delivered too; record() ignores those before the mark.
    this.observer.observe({ type: 'resource', buffered: true });
  }

  stop(): void {
    this.observer?.disconnect();
    this.observer = undefined;
  }

  /** Starts counting from now (when the models finished loading, or the simulation started). */
  markLoaded(now = performance.now()): void {
    this.since = now;
    this.seen.length = 0;
    this.notify();
  }

  /** The counting window has started. */
  get armed(): boolean {
    return this.since !== undefined;
  }

  /** Requests since the mark. */
  get requests(): readonly ObservedRequest[] {
    return this.seen;
  }

  get count(): number {
    return this.seen.length;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(entry: PerformanceResourceTiming): void {
    if (this.since === undefined || entry.startTime < this.since) return;
    // data: and blob: URLs (an export download, an inline image) never touch the network.
    if (/^(data|blob):/.test(entry.name)) return;
    this.seen.push({
      url: entry.name,
      at: entry.startTime,
      initiator: entry.initiatorType,
      sameOrigin: new URL(entry.name, location.href).origin === location.origin,
    });
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}
