/**
 * Models on OpenAI-compatible servers in an EnginePool (`kind: 'openai'`): planned without a worker or GPU
 * memory, announced as leaving the browser, validated naming the missing field, and refused once disposed.
 * Served by the fault server on 127.0.0.1; the real llama.cpp server is in test/e2e/remote-agents.spec.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttentionMoA, EnginePool, ScriptedEngine, offDevice, type PoolEvent } from '@attention-moa/core';
import { startFaultServer, TEST_SENTENCE, type FaultServer } from '../../../servers/fault-server.js';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());

describe('EnginePool with a server model', () => {
  it('plans it without a worker or memory and says its prompts leave the browser', async () => {
    const events: PoolEvent[] = [];
    const pool = new EnginePool({ models: { box: { kind: 'openai', baseURL: `${server.url}/v1`, model: 'smollm2', retries: 0 } }, onEvent: (e) => events.push(e) });
    const plan = await pool.load();
    expect(plan.models).toEqual([
      { key: 'box', kind: 'openai', requested: `smollm2 @ ${server.url}/v1`, model: 'smollm2', vramMB: 0, slot: `openai:smollm2@${server.url}/v1`, parallel: 1, remote: { baseURL: `${server.url}/v1`, host: server.url.slice(7), loopback: true } },
    ]);
    expect(plan.memory.mode).toBe('all-fit');
    expect(pool.status()).toEqual([]);
    expect(events.find((e) => e.type === 'remote')).toEqual({ type: 'remote', key: 'box', model: 'smollm2', baseURL: `${server.url}/v1`, host: server.url.slice(7), loopback: true });
    expect(offDevice(pool.engine('box'))).toMatchObject({ host: server.url.slice(7), loopback: true });

    const local = new ScriptedEngine({ rules: [{ when: { role: 'aggregate' }, reply: 'Both agree.' }] });
    const moa = new AttentionMoA({ agents: [{ name: 'box', engine: pool.engine('box') }, { name: 'here', engine: local }], aggregator: { engine: local } });
    const result = await moa.complete('Hi?');
    expect(result.answer).toBe('Both agree.');
    expect(result.trace.filter((r) => r.agent === 'box').map((r) => r.text)).toEqual([TEST_SENTENCE, TEST_SENTENCE, TEST_SENTENCE, TEST_SENTENCE]);
    expect(server.requests.at(-1)!.body.model).toBe('smollm2');

    await pool.dispose();
    expect(() => pool.engine('box').chat.completions.create({ messages: [{ role: 'user', content: 'x' }], stream: true })).toThrow(/disposed/i);
  });

  it('leaves server models out of the memory plan of a protocol', async () => {
    const pool = new EnginePool({
      models: { box: { kind: 'openai', baseURL: `${server.url}/v1`, model: 'm' }, sim: { kind: 'scripted', vramMB: 100 } },
      protocol: { agents: [{ name: 'a', model: 'box' }, { name: 'b', model: 'sim' }], aggregator: { model: 'box' } },
      memoryBudgetMB: 1000,
    });
    const plan = await pool.plan();
    expect(plan.models.map((m) => [m.key, m.kind, m.vramMB])).toEqual([['box', 'openai', 0], ['sim', 'scripted', 100]]);
    expect(plan.memory.mode).toBe('all-fit');
    await pool.dispose();
  });

  it('names what is missing or wrong in the spec', () => {
    const bad = (spec: object) => {
      try {
        new EnginePool({ models: { box: spec as never } });
      } catch (error) {
        return error as Error & { code: string; details: { field: string } };
      }
      throw new Error('accepted');
    };
    expect(bad({ kind: 'openai', baseURL: 'http://127.0.0.1:8080/v1' })).toMatchObject({ code: 'BAD_SPEC', details: { field: 'model' }, message: expect.stringMatching(/^models\["box"\]\.model: is missing: name the model the server runs/) });
    expect(bad({ kind: 'openai', model: 'm' })).toMatchObject({ details: { field: 'baseURL' }, message: expect.stringMatching(/^models\["box"\]\.baseURL: is missing/) });
    expect(bad({ kind: 'openai', baseURL: 'http://127.0.0.1:8080/v1', model: 'm', retries: 99 }).message).toMatch(/models\["box"\]\.retries: must be a whole number from 0 to 10/);
  });
});
