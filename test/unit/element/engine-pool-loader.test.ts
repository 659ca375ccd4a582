import { describe, expect, it } from 'vitest';

describe('agent names for model ids', () => {
  it('shortens WebLLM ids to readable names, keeping them unique', async () => {
    const { agentName, agentNames } = await import('../../../packages/element/src/engine-pool-loader.js');
    expect(agentName('Qwen2.5-0.5B-Instruct-q4f16_1-MLC')).toBe('Qwen2.5-0.5B');
    expect(agentName('Llama-3.2-1B-Instruct-q4f32_1-MLC')).toBe('Llama-3.2-1B');
    expect(agentName('gemma-2-2b-it-q4f16_1-MLC-1k')).toBe('gemma-2-2b');
    expect(agentName('TinyLlama-1.1B-Chat-v1.0-q4f16_1-MLC')).toBe('TinyLlama-1.1B');
    expect(agentName('SmolLM2-135M-Instruct-q0f16-MLC')).toBe('SmolLM2-135M');
    expect(agentName('Ada')).toBe('Ada');
    expect(agentNames(['Qwen2.5-0.5B-Instruct-q4f16_1-MLC', 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', 'SmolLM2-360M-Instruct-q4f16_1-MLC'])).toEqual([
      'Qwen2.5-0.5B-Instruct-q4f16_1-MLC', 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', 'SmolLM2-360M',
    ]);
  });
});
