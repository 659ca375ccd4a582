import { describe, expect, it } from 'vitest';
import { agentName, agentNames } from '@attention-moa/core';

describe('agentNames', () => {
  it('shortens each model with the given rule (by default agentName) and keeps the full model where two collide', () => {
    expect(agentNames(['Qwen2.5-0.5B-Instruct-q4f16_1-MLC', 'SmolLM2-360M-Instruct-q4f16_1-MLC'])).toEqual(['Qwen2.5-0.5B', 'SmolLM2-360M']);
    expect(agentNames(['a-x', 'a-y', 'b-x'], (m) => m.slice(0, 1))).toEqual(['a-x', 'a-y', 'b']);
    expect(agentNames([])).toEqual([]);
  });

  it('agentName falls back to the id when shortening leaves nothing', () => {
    expect(agentName('-MLC')).toBe('-MLC');
  });
});
