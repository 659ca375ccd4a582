/**
 * TEST-ONLY stand-in for the protocol's `AttentionMoA` while it is being built: it walks the protocol's steps
 * (propose → n×n critique → refine → aggregate → residual/early stop) with real ChatEngines (ScriptedEngine) and
 * yields the exact `AttentionMoAEvent` shapes from @attention-moa/core. It has none of the protocol's prompt
 * building, budgets or failure handling; the element's tests move to the real class as soon as it lands.
 */
import type { AttentionMoAEvent, AttentionMoAResult, CallRecord, CallRole, ChatEngine, ChatMessage, RunPlan } from '@attention-moa/core';

export interface FakeAgent {
  name: string;
  engine: ChatEngine;
}
export interface FakeMoAOptions {
  agents: FakeAgent[];
  aggregator: FakeAgent;
  layers: number;
  stopPhrase?: string;
}

class EventQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private closed = false;
  push(item: T) {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: item, done: false });
    } else this.items.push(item);
  }
  close() {
    this.closed = true;
    this.waiting?.({ value: undefined, done: true });
  }
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length) return Promise.resolve({ value: this.items.shift()!, done: false });
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
      return: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}

export class FakeAttentionMoA {
  constructor(readonly options: FakeMoAOptions) {}

  run(messages: ChatMessage[], { signal }: { signal?: AbortSignal } = {}): AsyncIterable<AttentionMoAEvent> {
    const queue = new EventQueue<AttentionMoAEvent>();
    this.drive(messages, queue, signal).then(
      () => queue.close(),
      (error: unknown) => {
        if (!signal?.aborted) queue.push({ type: 'error', error: error instanceof Error ? error : new Error(String(error)) });
        queue.close();
      },
    );
    return queue;
  }

  private async drive(messages: ChatMessage[], emit: EventQueue<AttentionMoAEvent>, signal?: AbortSignal) {
    const { agents, aggregator, layers } = this.options;
    const stopPhrase = this.options.stopPhrase ?? 'NO IMPROVEMENT';
    const t0 = performance.now();
    const trace: CallRecord[] = [];
    let nextId = 1;
    const names = agents.map((a) => a.name);
    const plan: RunPlan = {
      agents: names, aggregator: aggregator.name, layers, attention: 'full', residual: true, earlyStop: 'judge',
      expectedCalls: layers * (names.length + 1) ** 2 + (layers - 1),
    };
    emit.push({ type: 'run-start', plan });
    const call = async (agent: FakeAgent, role: CallRole, layer: number, prompt: string, target?: string): Promise<string> => {
      const id = nextId++;
      const queuedAt = performance.now() - t0;
      const msgs: ChatMessage[] = [...messages, { role: 'user', content: prompt }];
      const promptTokens = Math.ceil(msgs.map((m) => m.content).join('\n').length / 3);
      emit.push({ type: 'call-start', call: id, role, layer, agent: agent.name, ...(target ? { target } : {}), promptTokens, cuts: [] });
      const startedAt = performance.now() - t0;
      let output = '';
      let firstTokenAt: number | undefined;
      let usage: CallRecord['usage'];
      let finishReason: CallRecord['finishReason'] = null;
      const stream = await agent.engine.chat.completions.create(
        { messages: msgs, stream: true, stream_options: { include_usage: true } },
        { signal, call: { role, layer, agent: agent.name, ...(target ? { target } : {}) } } as { signal?: AbortSignal },
      );
      for await (const chunk of stream) {
        const token = chunk.choices[0]?.delta.content;
        if (token) {
          firstTokenAt ??= performance.now() - t0;
          output += token;
          emit.push({ type: 'call-token', call: id, role, layer, agent: agent.name, ...(target ? { target } : {}), token });
        }
        if (chunk.choices[0]?.finish_reason) finishReason = chunk.choices[0].finish_reason;
        if (chunk.usage) usage = chunk.usage;
      }
      const record: CallRecord = {
        id, role, layer, agent: agent.name, ...(target ? { target } : {}), messages: msgs, promptTokens, cuts: [], output,
        text: output.replace(/<think>[\s\S]*?<\/think>\s*/g, ''), finishReason, ...(usage ? { usage } : {}),
        queuedAt, startedAt, ...(firstTokenAt !== undefined ? { firstTokenAt } : {}), endedAt: performance.now() - t0,
      };
      trace.push(record);
      emit.push({ type: 'call-end', record });
      return record.text;
    };

    const question = messages.at(-1)?.content ?? '';
    const outputs: string[] = [];
    let earlyStop: AttentionMoAResult['earlyStop'];
    let answer = '';
    for (let layer = 1; layer <= layers; layer++) {
      const reference = outputs.at(-1);
      const proposals = await Promise.all(agents.map((a) => call(a, 'propose', layer, reference ? `Reference: ${reference}\n${question}` : question)));
      // Each agent critiques every answer in turn; agents run in parallel.
      const critiques = await Promise.all(
        agents.map(async (critic) => {
          const mine: string[] = [];
          for (const [j, target] of agents.entries()) mine.push(await call(critic, 'critique', layer, `Critique: ${proposals[j]}`, target.name));
          return mine;
        }),
      );
      const refined = await Promise.all(
        agents.map((a, j) => call(a, 'refine', layer, `Improve ${proposals[j]} with: ${critiques.map((row) => row[j]).join(' | ')}`)),
      );
      const aggregate = await call(aggregator, 'aggregate', layer, `Synthesize: ${refined.join(' | ')}`);
      if (layer === 1) {
        outputs.push(aggregate);
        emit.push({ type: 'layer-end', layer, output: aggregate, source: 'aggregate' });
        answer = aggregate;
        continue;
      }
      const residual = await call(aggregator, 'residual', layer, `Rounds: ${[...outputs, aggregate].join(' | ')}. Say ${stopPhrase} if no better.`);
      if (residual.trim().replace(/[^A-Za-z ]/g, '').toUpperCase() === stopPhrase) {
        outputs.push(aggregate);
        emit.push({ type: 'layer-end', layer, output: aggregate, source: 'aggregate' });
        earlyStop = { layer, mode: 'judge', reason: `the judge answered "${stopPhrase}": layer ${layer} did not improve on layer ${layer - 1}` };
        emit.push({ type: 'early-stop', ...earlyStop });
        answer = aggregate;
        break;
      }
      outputs.push(residual);
      emit.push({ type: 'layer-end', layer, output: residual, source: 'residual' });
      answer = residual;
    }
    for (const token of answer.match(/\s*\S+|\s+$/g) ?? []) emit.push({ type: 'answer-token', token });
    const result: AttentionMoAResult = {
      answer, layerOutputs: outputs, layersRun: outputs.length, ...(earlyStop ? { earlyStop } : {}), trace, dropped: [],
      usage: {
        calls: trace.length,
        promptTokens: trace.reduce((n, r) => n + (r.usage?.prompt_tokens ?? 0), 0),
        completionTokens: trace.reduce((n, r) => n + (r.usage?.completion_tokens ?? 0), 0),
      },
      durationMs: performance.now() - t0,
    };
    emit.push({ type: 'done', result });
  }
}
