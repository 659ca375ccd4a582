/**
 * Which fenced-code languages are highlighted, by the names models write after the fence. Kept apart from the
 * highlighter so the renderer can decide without loading it: a block in a language not listed here (or with none)
 * renders as plain text and never makes the page fetch the highlighter.
 */
export const GRAMMARS = ['javascript', 'typescript', 'python', 'json', 'bash', 'markup', 'css', 'c', 'cpp', 'java', 'rust', 'go', 'sql', 'yaml', 'markdown', 'diff'] as const;
export type GrammarName = (typeof GRAMMARS)[number];

const ALIASES: Record<string, GrammarName> = {
  js: 'javascript', javascript: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript', node: 'javascript',
  ts: 'typescript', typescript: 'typescript', tsx: 'typescript', mts: 'typescript', cts: 'typescript',
  py: 'python', python: 'python', python3: 'python', py3: 'python',
  json: 'json', jsonc: 'json', json5: 'json', webmanifest: 'json',
  bash: 'bash', sh: 'bash', shell: 'bash', zsh: 'bash', console: 'bash', shellscript: 'bash',
  html: 'markup', xml: 'markup', svg: 'markup', xhtml: 'markup', markup: 'markup', mathml: 'markup',
  css: 'css',
  c: 'c', h: 'c',
  cpp: 'cpp', 'c++': 'cpp', cc: 'cpp', cxx: 'cpp', hpp: 'cpp', hh: 'cpp',
  java: 'java',
  rust: 'rust', rs: 'rust',
  go: 'go', golang: 'go',
  sql: 'sql', mysql: 'sql', postgresql: 'sql', postgres: 'sql', sqlite: 'sql', plsql: 'sql',
  yaml: 'yaml', yml: 'yaml',
  markdown: 'markdown', md: 'markdown',
  diff: 'diff', patch: 'diff',
};

/** The grammar for a fence's language label, or undefined (plain text). */
export function grammarFor(language: string | undefined): GrammarName | undefined {
  if (!language) return undefined;
  const key = language.toLowerCase();
  return Object.hasOwn(ALIASES, key) ? ALIASES[key] : undefined;
}

/** Longer code blocks stay plain: highlighting is a regular-expression pass per render, and this bounds its cost. */
export const MAX_HIGHLIGHT_LENGTH = 30_000;
