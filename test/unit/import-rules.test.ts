/**
 * The import floors (ARCHITECTURE.md), enforced over the real import statements of the tree.
 *
 * Reads every .ts file with the TypeScript compiler's own import scanner (type-only and dynamic imports count:
 * a type import still ties a floor to the one above it), resolves relative specifiers to files, and checks:
 * no cycle in packages/core/src; engine ← cache ← runtime, protocol beside them seeing only the engine contract;
 * index on top; the element sees core only through the package name; nothing outside the demo imports the demo.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const coreSrc = join(root, 'packages/core/src');

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(path).isDirectory()) return tsFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Repo-relative path of the file a relative specifier names (`./x.js` → x.ts), or the bare specifier itself. */
function resolveSpecifier(from: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  const bare = resolve(dirname(from), specifier.replace(/\?.*$/, ''));
  const candidates = [bare, bare.replace(/\.js$/, '.ts'), `${bare}.ts`, join(bare, 'index.ts')];
  const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? bare;
  return relative(root, hit);
}

interface Edge {
  from: string;
  to: string;
}

function importsOf(file: string): Edge[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => ({ from: relative(root, file), to: resolveSpecifier(file, f.fileName) }));
}

const all = [
  ...tsFiles(join(root, 'packages')),
  ...tsFiles(join(root, 'demo')),
  ...tsFiles(join(root, 'bench')),
  ...tsFiles(join(root, 'test')),
  ...tsFiles(join(root, 'scripts')),
];
const edges = all.flatMap(importsOf);
const coreEdges = edges.filter((e) => e.from.startsWith('packages/core/src/') && e.to.startsWith('packages/core/src/'));

const core = (path: string) => path.replace(/^packages\/core\/src\//, '');
const show = (e: Edge) => `${e.from} imports ${e.to}`;

/** What each floor of packages/core/src may import (paths relative to packages/core/src). */
const allowed: Record<string, (to: string) => boolean> = {
  engine: (to) => to.startsWith('engine/'),
  cache: (to) => to.startsWith('engine/') || to.startsWith('cache/'),
  runtime: (to) =>
    to.startsWith('engine/') ||
    to.startsWith('cache/') ||
    to.startsWith('runtime/') ||
    // The memory plan counts calls per topology with the protocol's own counter, not a copy.
    to === 'protocol/topology.ts',
  // The protocol drives any engine through the contract: it sees the contract's types, never an implementation
  // (and the library's one error base class).
  protocol: (to) => to.startsWith('protocol/') || to === 'engine/contract.ts' || to === 'engine/tokens.ts' || to === 'engine/moa-error.ts',
  // The entries on top. `@attention-moa/core/protocol` is the protocol alone: what imports in Node without workers.
  'protocol.ts': (to) => to.startsWith('protocol/') || ['engine/contract.ts', 'engine/tokens.ts', 'engine/moa-error.ts', 'engine/scripted/scripted.ts'].includes(to),
  // The easy start combines the runtime and the protocol, so it sits beside index.ts, above both.
  'ensemble.ts': (to) => to !== 'index.ts' && to !== 'protocol.ts',
  'index.ts': () => true,
  // `@attention-moa/core/lite`, what a page loads before any question: only modules that import nothing at run time.
  'lite.ts': (to) => LITE_MODULES.includes(to),
};

/**
 * What lite.ts may re-export: modules with no run-time imports beyond each other (types only otherwise), so the
 * entry stays a few kB.
 */
const LITE_MODULES = [
  'protocol/topology.ts',
  'protocol/early-stop-modes.ts',
  'protocol/reasoning.ts',
  'protocol/agent-names.ts',
  'protocol/types.ts',
  'engine/contract.ts',
  'runtime/format-bytes.ts',
  'engine/moa-error.ts',
  'engine/remote/off-device.ts',
];

function floorOf(path: string): string {
  const rel = core(path);
  return rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : rel;
}

describe('import floors of packages/core/src', () => {
  it('finds the files it checks', () => {
    expect(coreEdges.length).toBeGreaterThan(50);
    expect(Object.keys(allowed)).toEqual(expect.arrayContaining(['engine', 'cache', 'runtime', 'protocol']));
  });

  it('every file lives on a known floor', () => {
    const unknown = tsFiles(coreSrc)
      .map((f) => relative(root, f))
      .filter((f) => !(floorOf(f) in allowed));
    expect(unknown, 'files outside engine/, cache/, runtime/, protocol/ and the entries (index.ts, protocol.ts, ensemble.ts)').toEqual([]);
  });

  it('no floor imports one above it', () => {
    const bad = coreEdges.filter((e) => !allowed[floorOf(e.from)]?.(core(e.to))).map(show);
    expect(bad, 'imports against the floors (see ARCHITECTURE.md)').toEqual([]);
  });

  it('lite.ts stays light: the modules it re-exports import no other code at run time', () => {
    const valueImports = (file: string) =>
      [...readFileSync(join(coreSrc, file), 'utf8').matchAll(/^\s*(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'/gm)]
        .map((m) => m[1]!)
        // An import of another lite module adds nothing to the entry.
        .filter((to) => !LITE_MODULES.includes(join(dirname(file), to).replace(/\.js$/, '.ts')));
    const bad = LITE_MODULES.filter((f) => f !== 'protocol/types.ts').flatMap((f) => valueImports(f).map((to) => `${f} imports ${to}`));
    expect(bad, 'a module behind @attention-moa/core/lite imports code at run time').toEqual([]);
  });

  it('only index.ts imports index.ts', () => {
    const bad = coreEdges.filter((e) => core(e.to) === 'index.ts').map(show);
    expect(bad).toEqual([]);
  });

  it('has no import cycle', () => {
    const next = new Map<string, string[]>();
    for (const e of coreEdges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (node: string) => {
      state.set(node, 'open');
      stack.push(node);
      for (const to of next.get(node) ?? []) {
        if (state.get(to) === 'open') cycles.push([...stack.slice(stack.indexOf(to)), to].map(core).join(' → '));
        else if (!state.has(to)) visit(to);
      }
      stack.pop();
      state.set(node, 'done');
    };
    for (const node of next.keys()) if (!state.has(node)) visit(node);
    expect(cycles, 'import cycles').toEqual([]);
  });
});

describe('import rules between packages', () => {
  it('the element reaches core only through @attention-moa/core', () => {
    const bad = edges
      .filter((e) => e.from.startsWith('packages/element/src/') && e.to.startsWith('packages/core/'))
      .map(show);
    expect(bad).toEqual([]);
  });

  it('core imports neither the element nor the demo', () => {
    const bad = edges
      .filter((e) => e.from.startsWith('packages/core/src/'))
      .filter((e) => /^(packages\/element|demo)\//.test(e.to) || e.to.startsWith('@attention-moa/'))
      .map(show);
    expect(bad).toEqual([]);
  });

  it('nothing outside the demo imports the demo', () => {
    const bad = edges
      .filter((e) => e.to.startsWith('demo/') && !e.from.startsWith('demo/') && !e.from.startsWith('test/'))
      .map(show);
    expect(bad).toEqual([]);
  });
});
