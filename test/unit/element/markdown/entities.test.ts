import { describe, expect, it } from 'vitest';
import { decodeEntities } from '../../../../packages/element/src/markdown/entities.js';

describe('decodeEntities', () => {
  it('decodes named and numeric references, keeps unknown names, maps invalid code points to U+FFFD', () => {
    expect(decodeEntities('a &amp; b &lt;x&gt; &copy; &#169; &#xA9; &unknown; &#0; &#xD800; &#1114112;')).toBe('a & b <x> © © © &unknown; \ufffd \ufffd \ufffd');
    expect(decodeEntities('no entities')).toBe('no entities');
    expect(decodeEntities('&toString;&constructor;')).toBe('&toString;&constructor;');
  });
});
