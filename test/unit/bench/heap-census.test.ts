import { describe, expect, it } from 'vitest';
import { heapCensus, isJsValueKind, type HeapSnapshotJson } from '../../../bench/lib/heap-census.js';

// A hand-made snapshot in V8's format: flat nodes of [type, name, id, self_size, edge_count].
const meta = { node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'], node_types: [['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape']] as [string[]] };
const strings = ['', 'Object', 'CallRecord', 'HTMLDivElement', 'system / Code', 'hello'];
const node = (type: number, name: number, size: number) => [type, name, 1, size, 0];

describe('bench heap census (suite 7)', () => {
  it('counts JS values apart from code, internals and natives, and groups objects by constructor', () => {
    const snapshot: HeapSnapshotJson = {
      snapshot: { meta },
      strings,
      nodes: [
        ...node(3, 1, 16), // object Object
        ...node(3, 2, 40), // object CallRecord
        ...node(3, 2, 40),
        ...node(5, 0, 32), // closure
        ...node(1, 0, 24), // array
        ...node(2, 5, 20), // string
        ...node(10, 0, 20), // concatenated string
        ...node(4, 4, 800), // code: not a JS value
        ...node(0, 0, 8), // hidden
        ...node(8, 3, 120), // native HTMLDivElement
        ...node(14, 0, 40), // object shape
      ],
    };
    const census = heapCensus(snapshot);
    expect(census.jsValues).toEqual({ count: 7, bytes: 16 + 80 + 32 + 24 + 20 + 20 });
    expect(census.byKind.get('object:CallRecord')).toEqual({ count: 2, bytes: 80 });
    expect(census.byKind.get('native:HTMLDivElement')).toEqual({ count: 1, bytes: 120 });
    expect(census.byKind.get('code')).toEqual({ count: 1, bytes: 800 });
    expect([...census.byKind.keys()].filter(isJsValueKind).sort()).toEqual(['array', 'closure', 'concatenated string', 'object:CallRecord', 'object:Object', 'string']);
  });

  it('rejects something that is not a heap snapshot', () => {
    expect(() => heapCensus({ snapshot: { meta: { node_fields: ['id'], node_types: [[]] } }, nodes: [], strings: [] })).toThrow(/not a heap snapshot/);
  });
});
