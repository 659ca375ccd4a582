import { describe, expect, it } from 'vitest';
import { checkChatConfig } from '../../../../packages/core/src/engine/fetch-monitor.js';

describe('checkChatConfig (the fetch monitor\'s check of mlc-chat-config.json)', () => {
  it('accepts a config with tokenizer_files and conv_template, and says what is wrong otherwise', () => {
    expect(checkChatConfig(JSON.stringify({ tokenizer_files: ['tokenizer.json'], conv_template: { name: 'chatml' } }))).toBeUndefined();
    expect(checkChatConfig('<!doctype html><html>')).toMatch(/^not JSON: .*starts with "<!doctype html><html>"/);
    expect(checkChatConfig('[1,2]')).toBe('not a JSON object');
    expect(checkChatConfig('{"conv_template":{}}')).toBe('no "tokenizer_files" list');
    expect(checkChatConfig('{"tokenizer_files":[]}')).toBe('no "conv_template"');
  });
});
