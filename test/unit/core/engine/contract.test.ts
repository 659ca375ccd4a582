import { describe, expect, it } from 'vitest';
import { isChatEngine, type ChatCompletionChunk, type ChatEngine } from '@attention-moa/core';

describe('isChatEngine', () => {
  it('accepts any object with chat.completions.create', () => {
    const engine: ChatEngine = {
      chat: {
        completions: {
          async *create() {
            yield { id: '1', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [] } satisfies ChatCompletionChunk;
          },
        } as unknown as ChatEngine['chat']['completions'],
      },
    };
    expect(isChatEngine(engine)).toBe(true);
  });

  it.each([null, undefined, 42, 'engine', {}, { chat: {} }, { chat: { completions: {} } }, { chat: { completions: { create: 'x' } } }])(
    'rejects %j',
    (value) => expect(isChatEngine(value)).toBe(false),
  );
});
