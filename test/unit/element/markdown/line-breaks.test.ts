import { describe, expect, it } from 'vitest';
import { markdownToSafeTree, type SafeNode } from '../../../../packages/element/src/markdown/safe-tree.js';

const tags = (nodes: readonly SafeNode[]): string[] =>
  nodes.flatMap((n) => (n.kind === 'element' ? [n.tag, ...tags(n.children)] : []));

describe('line breaks in answers', () => {
  it('keeps a single newline as a line break (a model\'s lines stay lines), a blank line as a new paragraph', () => {
    const tree = markdownToSafeTree('Step one\nStep two\n\nNext paragraph');
    expect(tags(tree)).toEqual(['p', 'br', 'p']);
  });
  it('leaves newlines in code blocks to the code, without <br>', () => {
    expect(tags(markdownToSafeTree('```\na\nb\n```'))).not.toContain('br');
  });
});
