/**
 * A census of a V8 heap snapshot (CDP HeapProfiler.takeHeapSnapshot, the .heapsnapshot JSON format): node counts and
 * self sizes by kind, and the total of JS values — what application code allocates and a leak would keep (objects,
 * closures, arrays, strings, heap numbers, regexps, symbols, bigints) — apart from V8's code, hidden internals,
 * object shapes and the browser's native objects. Suite 7 compares two censuses taken 100 runs apart.
 */
export interface HeapSnapshotJson {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export interface HeapCensus {
  /** By kind: `type` for values and internals, `type:name` for objects and natives (the constructor or class). */
  byKind: Map<string, { count: number; bytes: number }>;
  jsValues: { count: number; bytes: number };
}

const JS_VALUE_TYPES = new Set(['object', 'closure', 'array', 'string', 'concatenated string', 'sliced string', 'regexp', 'number', 'symbol', 'bigint']);

/** Whether a census kind (`type` or `type:name`) is a JS value. */
export function isJsValueKind(kind: string): boolean {
  return JS_VALUE_TYPES.has(kind.split(':')[0]!);
}

export function heapCensus(snapshot: HeapSnapshotJson): HeapCensus {
  const fields = snapshot.snapshot.meta.node_fields;
  const typeNames = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  if (typeAt < 0 || nameAt < 0 || sizeAt < 0 || width === 0) throw new Error('heapCensus: not a heap snapshot (node_fields lacks type, name or self_size)');
  const byKind = new Map<string, { count: number; bytes: number }>();
  const jsValues = { count: 0, bytes: 0 };
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = typeNames[snapshot.nodes[i + typeAt]!] ?? 'unknown';
    const size = snapshot.nodes[i + sizeAt]!;
    const named = type === 'object' || type === 'native';
    const kind = named ? `${type}:${String(snapshot.strings[snapshot.nodes[i + nameAt]!]).slice(0, 80)}` : type;
    const entry = byKind.get(kind) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += size;
    byKind.set(kind, entry);
    if (JS_VALUE_TYPES.has(type)) {
      jsValues.count += 1;
      jsValues.bytes += size;
    }
  }
  return { byKind, jsValues };
}
