#!/usr/bin/env node
// Writes packages/element/custom-elements.json (the Custom Elements Manifest, schema 2.0.0, read by editors and
// Storybook) from the element's API description in packages/element/src/element-api.ts — the same data the element
// builds its Lit properties from. `--check` exits 1 when the file on disk is out of date (a unit test runs the same
// comparison). Usage: node scripts/element-manifest.mjs [--check]
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const MANIFEST_PATH = join(root, 'packages/element/custom-elements.json');
const ELEMENT_MODULE = 'src/attention-moa-element.ts';

/** The manifest for the API description `api` (the exports of element-api.ts). */
export function buildManifest(api) {
  const { TAG_NAME, PROPERTIES, READONLY, METHODS, EVENTS, CSS_PROPERTIES, CSS_PARTS } = api;
  const declaration = {
    kind: 'class',
    name: 'AttentionMoAElement',
    tagName: TAG_NAME,
    customElement: true,
    description:
      'Several language models answer together with the Attention-MoA protocol (propose, cross/self critique, refine, aggregate, residual synthesis with early stop), in the browser; the answer renders as Markdown as it streams.',
    superclass: { name: 'LitElement', package: 'lit' },
    attributes: PROPERTIES.filter((p) => p.attribute).map((p) => ({
      name: p.attribute,
      fieldName: p.name,
      type: { text: p.type },
      ...(p.default !== undefined ? { default: p.default } : {}),
      description: p.description,
    })),
    members: [
      ...PROPERTIES.map((p) => ({
        kind: 'field',
        name: p.name,
        type: { text: p.type },
        ...(p.default !== undefined ? { default: p.default } : {}),
        description: p.description,
        ...(p.attribute ? { attribute: p.attribute } : {}),
        ...(p.reflect ? { reflects: true } : {}),
      })),
      ...READONLY.map((p) => ({ kind: 'field', name: p.name, type: { text: p.type }, readonly: true, description: p.description })),
      ...METHODS.map((m) => ({
        kind: 'method',
        name: m.name,
        description: m.description,
        parameters: m.parameters.map((p) => ({ name: p.name, type: { text: p.type }, description: p.description })),
        return: { type: { text: m.returns.type }, ...(m.returns.description ? { description: m.returns.description } : {}) },
      })),
    ],
    events: Object.entries(EVENTS).map(([name, e]) => ({ name, type: { text: `CustomEvent<${e.type}>` }, description: e.description })),
    cssProperties: CSS_PROPERTIES.map((c) => ({ name: c.name, default: c.default, description: c.description })),
    cssParts: CSS_PARTS.map((p) => ({ name: p.name, description: p.description })),
    slots: [],
  };
  return {
    schemaVersion: '2.0.0',
    readme: 'README.md',
    modules: [
      {
        kind: 'javascript-module',
        path: ELEMENT_MODULE,
        declarations: [declaration],
        exports: [{ kind: 'js', name: 'AttentionMoAElement', declaration: { name: 'AttentionMoAElement', module: ELEMENT_MODULE } }],
      },
      {
        kind: 'javascript-module',
        path: 'src/index.ts',
        declarations: [],
        exports: [
          { kind: 'custom-element-definition', name: TAG_NAME, declaration: { name: 'AttentionMoAElement', module: ELEMENT_MODULE } },
          { kind: 'js', name: 'AttentionMoAElement', declaration: { name: 'AttentionMoAElement', module: ELEMENT_MODULE } },
        ],
      },
    ],
  };
}

export const serialize = (manifest) => `${JSON.stringify(manifest, null, 2)}\n`;

/** Loads element-api.ts in plain Node: TypeScript strips the types (the module has no runtime imports). */
async function loadApi() {
  const ts = (await import('typescript')).default;
  const source = readFileSync(join(root, 'packages/element/src/element-api.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true } });
  const dir = mkdtempSync(join(tmpdir(), 'element-api-'));
  try {
    const file = join(dir, 'element-api.mjs');
    writeFileSync(file, outputText);
    return await import(pathToFileURL(file).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = serialize(buildManifest(await loadApi()));
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(MANIFEST_PATH, 'utf8');
    } catch {
      // missing counts as out of date
    }
    if (current !== text) {
      console.error('packages/element/custom-elements.json is out of date: run `node scripts/element-manifest.mjs`.');
      process.exit(1);
    }
    console.log('custom-elements.json is up to date');
  } else {
    writeFileSync(MANIFEST_PATH, text);
    console.log(`wrote ${MANIFEST_PATH}`);
  }
}
