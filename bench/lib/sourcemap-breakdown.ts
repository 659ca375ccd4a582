/**
 * What a built file is made of (suite 6): every generated character is attributed to the source its mapping
 * segment names (source map v3, `mappings` decoded here: base64 VLQ), and sources are grouped (a package, or a
 * folder of ours). Raw bytes, not gzip: compression cannot be split per source, but shares of the raw file show
 * where the size comes from.
 */
export interface SourceMapV3 {
  version: number;
  sources: string[];
  mappings: string;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** Decodes one line's segments: [generatedColumn, sourceIndex?] (deltas resolved; source index carries over lines). */
function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = DIGIT.get(char);
    if (digit === undefined) throw new Error(`sourcemap: invalid base64 character "${char}" in mappings`);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/** Bytes of `code` per source (index into map.sources; -1 = unmapped). */
export function bytesBySource(code: string, map: SourceMapV3): Map<number, number> {
  if (map.version !== 3) throw new Error(`sourcemap: version ${map.version} is not supported (3 is)`);
  const lines = code.split('\n');
  const mappingLines = map.mappings.split(';');
  const out = new Map<number, number>();
  const add = (source: number, n: number) => n > 0 && out.set(source, (out.get(source) ?? 0) + n);
  let source = 0;
  lines.forEach((line, i) => {
    const segments = (mappingLines[i] ?? '').split(',').filter(Boolean);
    let column = 0;
    let current = -1; // unmapped until the first segment
    let from = 0;
    for (const segment of segments) {
      const [dColumn, dSource] = decodeVlq(segment);
      column += dColumn!;
      add(current, column - from);
      from = column;
      if (dSource !== undefined) {
        source += dSource;
        current = source;
      } else current = -1;
    }
    add(current, line.length - from + (i < lines.length - 1 ? 1 : 0)); // the rest of the line and its newline
  });
  return out;
}

/** Groups a source path: a package under node_modules by name, else the path's folder under `packages/<pkg>/src`. */
export function groupOf(source: string): string {
  const nm = source.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = source.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const m = source.match(/packages\/([^/]+)\/src\/(?:([^/]+)\/)?/);
  if (m) return `${m[1]}/${m[2] ?? '(root)'}`;
  return source.includes('?') ? source.split('?')[0]! : 'other';
}

/**
 * Raw bytes per group, largest first. `mapDir` is the map's folder relative to the repository root (sources are
 * relative to it), e.g. `packages/element/dist`.
 */
export function breakdown(code: string, map: SourceMapV3, mapDir = ''): { group: string; bytes: number }[] {
  const groups = new Map<string, number>();
  const resolve = (source: string) => new URL(source, `file:///${mapDir ? `${mapDir.replace(/\/+$/, '')}/` : ''}`).pathname.slice(1);
  for (const [index, bytes] of bytesBySource(code, map)) {
    const group = index < 0 ? '(unmapped: glue, helpers)' : groupOf(resolve(map.sources[index] ?? 'other'));
    groups.set(group, (groups.get(group) ?? 0) + bytes);
  }
  return [...groups].map(([group, bytes]) => ({ group, bytes })).sort((a, b) => b.bytes - a.bytes);
}
