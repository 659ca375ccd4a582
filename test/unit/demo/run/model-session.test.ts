import { describe, expect, it } from 'vitest';
import { agentNames } from '../../../../demo/src/run/model-session.js';

describe('agent names for real models', () => {
  it('are the short model names, the full id only where two would be the same (core\'s rule, shared with the element)', () => {
    expect(agentNames(['Qwen2.5-1.5B-Instruct-q4f32_1-MLC', 'Llama-3.2-1B-Instruct-q4f32_1-MLC'])).toEqual(['Qwen2.5 1.5B', 'Llama-3.2 1B']);
    expect(agentNames(['gemma-2-2b-it-q4f32_1-MLC', 'gemma-2-2b-it-q4f32_1-MLC-1k', 'gemma-2-2b-it-q4f16_1-MLC'])).toEqual(['gemma-2-2b-it-q4f32_1-MLC', 'gemma-2 2b (1k)', 'gemma-2-2b-it-q4f16_1-MLC']);
  });
});
