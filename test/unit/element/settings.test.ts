import { describe, expect, it } from 'vitest';
import { parseBytes, parseMaxTokens, parseSettings, parseSwitch } from '../../../packages/element/src/settings.js';

describe('parseSettings', () => {
  it('accepts attribute text and property values', () => {
    const { settings, problems } = parseSettings({
      models: ' Qwen2.5-0.5B-Instruct-q4f16_1-MLC,\n Llama-3.2-1B-Instruct-q4f16_1-MLC  SmolLM2-360M-Instruct-q4f16_1-MLC ',
      layers: '3', attention: 'Ring', earlyStop: 'similarity', maxTokens: 'propose:512, critique:128', memoryBudget: '3.5GB',
    });
    expect(problems).toEqual([]);
    expect(settings.models).toEqual(['Qwen2.5-0.5B-Instruct-q4f16_1-MLC', 'Llama-3.2-1B-Instruct-q4f16_1-MLC', 'SmolLM2-360M-Instruct-q4f16_1-MLC']);
    expect(settings.protocol).toEqual({ layers: 3, attention: 'ring', earlyStop: 'similarity', maxTokens: { propose: 512, critique: 128 } });
    expect(settings.memoryBudgetBytes).toBe(3.5e9);
    expect(parseSettings({ layers: 2, maxTokens: 256 }).settings.protocol).toEqual({ layers: 2, maxTokens: { propose: 256, refine: 256, aggregate: 256, residual: 256 } });
    expect(parseSettings({}).settings).toEqual({ models: [], remote: [], protocol: {}, drafts: true, math: true });
  });

  it('reads remote-models as model@baseURL entries', () => {
    const { settings, problems } = parseSettings({ remoteModels: 'smollm2@http://127.0.0.1:8080/v1, qwen2.5:0.5b@http://127.0.0.1:11434/v1' });
    expect(problems).toEqual([]);
    expect(settings.remote).toEqual([
      { model: 'smollm2', baseURL: 'http://127.0.0.1:8080/v1' },
      { model: 'qwen2.5:0.5b', baseURL: 'http://127.0.0.1:11434/v1' },
    ]);
  });

  it.each([
    [{ layers: 'abc' }, 'layers', /got "abc"/],
    [{ layers: '0' }, 'layers', /from 1 to 10/],
    [{ layers: 2.5 }, 'layers', /got 2\.5/],
    [{ attention: 'everyone' }, 'attention', /full, self, ring, none/],
    [{ earlyStop: 'maybe' }, 'early-stop', /judge, similarity, off/],
    [{ maxTokens: '-5' }, 'max-tokens', /number or "role:number"/],
    [{ maxTokens: 'answer:5' }, 'max-tokens', /unknown role "answer"/],
    [{ maxTokens: 99999 }, 'max-tokens', /from 1 to 32768/],
    [{ memoryBudget: 'lots' }, 'memory-budget', /"lots"/],
    [{ models: 'good-MLC, bad id!' }, 'models', /"bad" is not|"id!" is not/],
    [{ models: 'A-MLC, A-MLC' }, 'models', /more than once/],
    [{ remoteModels: 'http://127.0.0.1:8080/v1' }, 'remote-models', /has no "@": write model@baseURL/],
    [{ remoteModels: 'smollm2@127.0.0.1:8080' }, 'remote-models', /no absolute URL after "@"|must use http: or https:/],
    [{ remoteModels: 'm@http://user:secret@example.org/v1' }, 'remote-models', /carries credentials/],
    [{ drafts: 'sometimes' }, 'drafts', /true or false, got "sometimes"/],
    [{ drafts: 0 }, 'drafts', /true or false, got 0/],
    [{ math: 'latex' }, 'math', /on or off, got "latex"/],
  ])('reports %j on the %s attribute with a fix', (raw, field, message) => {
    const { problems } = parseSettings(raw);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'invalid-attribute', field });
    expect(problems[0]!.message).toMatch(message);
    expect(problems[0]!.nextStep.length).toBeGreaterThan(10);
  });

  it('math: on by default; "off" or "false" turns formulas off (dollars stay dollars)', () => {
    expect(parseSettings({}).settings.math).toBe(true);
    for (const value of ['off', 'false', ' OFF ', false]) expect(parseSettings({ math: value }).settings.math, String(value)).toBe(false);
    for (const value of ['on', 'true', '', true]) expect(parseSettings({ math: value }).settings.math, String(value)).toBe(true);
  });

  it('drafts: on by default (like spellcheck); off tells the protocol to write none', () => {
    expect([undefined, null, true, '', 'true', 'On', ' on '].map(parseSwitch)).toEqual(Array(7).fill(true));
    expect([false, 'false', 'OFF'].map(parseSwitch)).toEqual([false, false, false]);
    expect([1, 'no', {}].map(parseSwitch)).toEqual([undefined, undefined, undefined]);
    expect(parseSettings({ drafts: true }).settings).toMatchObject({ drafts: true, protocol: {} });
    // Left on, the page's own options.drafts (e.g. { first: 'first-finished' }) applies: the attribute sets nothing.
    expect(parseSettings({}).settings.protocol).not.toHaveProperty('drafts');
    expect(parseSettings({ drafts: 'false' }).settings).toMatchObject({ drafts: false, protocol: { drafts: false } });
  });

  it('parses sizes and token caps', () => {
    expect(parseBytes('4GB')).toBe(4e9);
    expect(parseBytes('1500 MB')).toBe(1.5e9);
    expect(parseBytes('2GiB')).toBe(2 ** 31);
    expect(parseBytes(800)).toBe(8e8);
    expect(parseBytes('0')).toBeUndefined();
    expect(parseMaxTokens({ critique: '64' })).toEqual({ critique: 64 });
    expect(typeof parseMaxTokens({ critique: 0 })).toBe('string');
  });
});
