import { describe, expect, it } from 'vitest';
import { plainText } from '../../../../demo/src/app/plain-text.js';

describe('plainText', () => {
  it('drops emphasis, heading and quote markers but keeps the words and list markers', () => {
    expect(plainText('# Title\n\n**Bold** and *italic* and __under__, `code`.\n- item one\n> quoted')).toBe('Title\n\nBold and italic and under, code.\n- item one\nquoted');
  });

  it('keeps code blocks verbatim without their fences, including asterisks', () => {
    expect(plainText('Run:\n```js\nconst a = b * c; // **not bold**\n```\nDone.')).toBe('Run:\nconst a = b * c; // **not bold**\nDone.');
  });

  it('turns tables into readable rows and links into text with the address', () => {
    expect(plainText('| a | b |\n|---|:---:|\n| 1 | 2 |')).toBe('a · b\n1 · 2');
    expect(plainText('see [the paper](https://arxiv.org/abs/1)')).toBe('see the paper (https://arxiv.org/abs/1)');
  });

  it('leaves markup as plain characters (it is inserted as text)', () => {
    expect(plainText('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
    expect(plainText('2 * 3 * 4')).toBe('2 * 3 * 4');
  });
});
