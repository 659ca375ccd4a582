/**
 * Which models other tabs of this demo hold loaded. Each tab plans GPU memory as if it were alone, so a second tab
 * that loads the same ensemble silently needs the memory twice (and on a 4 GB GPU the second copy fails or the
 * first one's device is lost). With this, the second tab says so before anything is loaded.
 *
 * A BroadcastChannel carries what each tab holds: a tab that loads models says so, answers a newcomer's hello, and
 * says when it lets them go (or its page goes away). A Web Lock per holding tab proves it is still open: a tab that
 * crashed never says goodbye, but the browser releases its lock.
 */
export interface LoadedElsewhere {
  tab: string;
  kind: 'webgpu' | 'wasm';
  /** The models' names as that tab shows them. */
  models: string[];
}

type Message = { type: 'hello' } | { type: 'holding'; tab: string; kind: LoadedElsewhere['kind']; models: string[] } | { type: 'released'; tab: string };

export const MODELS_CHANNEL = 'attention-moa-demo/models';
const LOCK_PREFIX = 'attention-moa-demo/models/';

interface Locks {
  request(name: string, callback: () => Promise<void>): Promise<void>;
  query(): Promise<{ held?: { name?: string }[] }>;
}

export class ModelsElsewhere {
  private readonly tab = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly channel: BroadcastChannel | undefined;
  private readonly others = new Map<string, LoadedElsewhere>();
  private mine: Omit<LoadedElsewhere, 'tab'> | undefined;
  private releaseLock: (() => void) | undefined;
  private readonly locks = (globalThis.navigator as { locks?: Locks } | undefined)?.locks;

  constructor(private readonly onChange: (others: LoadedElsewhere[]) => void) {
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(MODELS_CHANNEL) : undefined;
    this.channel?.addEventListener('message', (event: MessageEvent<Message>) => this.receive(event.data));
    globalThis.addEventListener?.('pagehide', () => this.released());
    this.post({ type: 'hello' });
  }

  /** This tab loaded these models (until `released()`). */
  holding(kind: LoadedElsewhere['kind'], models: string[]): void {
    this.mine = { kind, models };
    if (this.locks && !this.releaseLock) {
      void this.locks.request(LOCK_PREFIX + this.tab, () => new Promise<void>((resolve) => (this.releaseLock = resolve))).catch(() => undefined);
    }
    this.post({ type: 'holding', tab: this.tab, kind, models });
  }

  /** This tab freed its models. */
  released(): void {
    if (!this.mine) return;
    this.mine = undefined;
    this.releaseLock?.();
    this.releaseLock = undefined;
    this.post({ type: 'released', tab: this.tab });
  }

  private post(message: Message): void {
    try {
      this.channel?.postMessage(message);
    } catch {
      // closed: no other tab to tell
    }
  }

  private receive(message: Message): void {
    if (message.type === 'hello') {
      if (this.mine) this.post({ type: 'holding', tab: this.tab, ...this.mine });
      return;
    }
    if (message.type === 'holding') this.others.set(message.tab, { tab: message.tab, kind: message.kind, models: message.models });
    else this.others.delete(message.tab);
    void this.report();
  }

  /** Tells the page, leaving out tabs whose lock is gone (closed or crashed without saying so). */
  private async report(): Promise<void> {
    if (this.locks) {
      const held = new Set(((await this.locks.query().catch(() => ({}))) as { held?: { name?: string }[] }).held?.map((l) => l.name) ?? []);
      // A lock is taken a moment after the announcement: only drop a tab once its lock was seen and is gone.
      for (const tab of this.others.keys()) if (!held.has(LOCK_PREFIX + tab) && this.seenLock.has(tab)) this.others.delete(tab);
      for (const tab of this.others.keys()) if (held.has(LOCK_PREFIX + tab)) this.seenLock.add(tab);
    }
    this.onChange([...this.others.values()]);
  }

  private readonly seenLock = new Set<string>();

  /** Checks again (e.g. when the setup screen is shown): a tab may have gone away without a word. */
  refresh(): void {
    void this.report();
  }
}
