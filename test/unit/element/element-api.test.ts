import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as api from '../../../packages/element/src/element-api.js';
import { EVENT_NAMES } from '../../../packages/element/src/events.js';
import { MANIFEST_PATH, buildManifest, serialize } from '../../../scripts/element-manifest.mjs';

const src = fileURLToPath(new URL('../../../packages/element/src/', import.meta.url));
const readme = readFileSync(fileURLToPath(new URL('../../../packages/element/README.md', import.meta.url)), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [readFileSync(path, 'utf8')] : [];
  });
}

describe('custom-elements.json', () => {
  it('is in sync with element-api.ts (run `node scripts/element-manifest.mjs` after changing the API)', () => {
    expect(readFileSync(MANIFEST_PATH, 'utf8')).toBe(serialize(buildManifest(api)));
  });

  it('documents every event the element can dispatch', () => {
    expect(Object.keys(api.EVENTS).sort()).toEqual([...EVENT_NAMES].sort());
  });

  it('documents exactly the parts the templates expose', () => {
    const used = new Set<string>();
    for (const text of sources(src)) {
      for (const m of text.matchAll(/\bpart="([\w-]+)"/g)) used.add(m[1]!);
      for (const m of text.matchAll(/setAttribute\('part', '([\w-]+)'\)/g)) used.add(m[1]!);
    }
    expect([...used].sort()).toEqual(api.CSS_PARTS.map((p) => p.name).sort());
  });

  it('documents exactly the CSS custom properties the styles read', () => {
    const styles = readFileSync(join(src, 'styles.ts'), 'utf8');
    const used = new Set([...styles.matchAll(/var\((--moa-[\w-]+)/g)].map((m) => m[1]!));
    expect([...used].sort()).toEqual(api.CSS_PROPERTIES.map((p) => p.name).sort());
  });

  it('the README covers every attribute, property, method, event, CSS property and part', () => {
    const names = [
      ...api.PROPERTIES.flatMap((p) => [p.name, ...(p.attribute ? [p.attribute] : [])]),
      ...api.READONLY.map((p) => p.name),
      ...api.METHODS.map((m) => `${m.name}(`),
      ...Object.keys(api.EVENTS),
      ...api.CSS_PROPERTIES.map((c) => c.name),
      ...api.CSS_PARTS.map((p) => `\`${p.name}\``),
    ];
    expect(names.filter((n) => !readme.includes(n))).toEqual([]);
  });
});
