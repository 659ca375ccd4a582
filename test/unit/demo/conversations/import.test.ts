import { describe, expect, it } from 'vitest';
import { parseImport, toJSON } from '../../../../demo/src/conversations/export.js';
import { newConversation } from '../../../../demo/src/conversations/conversation.js';

describe('importing an exported conversation', () => {
  it('reads back what toJSON wrote, under a fresh id', () => {
    const c = { ...newConversation(1000), title: 'Sky', turns: [] };
    const back = parseImport(toJSON(c), () => 'c-new');
    expect(back).toEqual({ ...c, id: 'c-new' });
  });
  it('names what is wrong with a bad file', () => {
    expect(() => parseImport('not json', () => 'x')).toThrow(/This file is not JSON/);
    expect(() => parseImport('{"a":1}', () => 'x')).toThrow(/not an exported Attention-MoA conversation/);
    expect(() => parseImport(JSON.stringify({ format: 'attention-moa-demo/conversation', version: 9 }), () => 'x')).toThrow(/version 9; this demo reads version 1/);
    const cut = JSON.stringify({ format: 'attention-moa-demo/conversation', version: 1, conversation: { title: 't', turns: [{ question: 'q' }] } });
    expect(() => parseImport(cut, () => 'x')).toThrow(/Turn 1 of the export is incomplete/);
  });
});
