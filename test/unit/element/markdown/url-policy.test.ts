import { describe, expect, it } from 'vitest';
import { safeHref } from '../../../../packages/element/src/markdown/url-policy.js';

describe('safeHref', () => {
  it.each([
    ['https://example.com/a?b=1', 'https://example.com/a?b=1'],
    ['http://example.com', 'http://example.com'],
    ['mailto:someone@example.com', 'mailto:someone@example.com'],
    ['/relative/path', '/relative/path'],
    ['#section', '#section'],
    ['docs/page.html', 'docs/page.html'],
    ['  https://padded.example  ', 'https://padded.example'],
  ])('allows %j', (input, output) => expect(safeHref(input)).toBe(output));

  it.each([
    'javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' \u0001javascript:alert(1)', 'java\tscript:alert(1)', 'java\nscript:alert(1)',
    'vbscript:msgbox(1)', 'data:text/html,<script>alert(1)</script>', 'blob:https://x/y', 'file:///etc/passwd', 'ftp://x', 'chrome://settings', '',
  ])('refuses %j', (input) => expect(safeHref(input)).toBeNull());
});
