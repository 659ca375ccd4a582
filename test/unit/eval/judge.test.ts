import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { askJudge, combineSwapped, judgeReplyText, judgeRequest, pairwisePrompt, parsePairwise, parseSingleGrade, singleGradePrompt } from '../../../eval/lib/judge.js';

describe('single-answer grading', () => {
  it('asks for a 1–10 rating in a fixed form, with the question, the reference and the answer', () => {
    const [system, user] = singleGradePrompt('Why is the sky blue?', 'Rayleigh scattering.', 'Scattering of short wavelengths.');
    expect(system!.role).toBe('system');
    expect(user!.content).toContain('[Question]\nWhy is the sky blue?');
    expect(user!.content).toContain('[Reference answer]\nScattering of short wavelengths.');
    expect(user!.content).toContain('[The Start of the Answer]\nRayleigh scattering.\n[The End of the Answer]');
    expect(user!.content).toContain('"Rating: [[5]]"');
    expect(singleGradePrompt('Q', 'A')[1]!.content).not.toContain('[Reference answer]');
  });
  it.each([
    ['Clear and correct.\nRating: [[8]]', 8],
    ['Rating: [[ 7.5 ]]', 7.5],
    ['Mostly right. Rating: 6/10', 6],
    ['[[3]] ... on reflection [[3]]', 3],
  ])('reads %j as %s', (reply, score) => expect(parseSingleGrade(reply)).toBe(score));
  it.each(['no rating here', 'Rating: [[11]]', '[[2]] or [[9]]', 'Rating: [[0]]'])('finds no single valid rating in %j', (reply) => expect(parseSingleGrade(reply)).toBeUndefined());
});

describe('pairwise grading, positions swapped', () => {
  it('shows both answers under fixed labels and asks for [[A]], [[B]] or [[C]]', () => {
    const content = pairwisePrompt('Q?', 'first', 'second')[1]!.content;
    expect(content.indexOf("[The Start of Assistant A's Answer]\nfirst")).toBeLessThan(content.indexOf("[The Start of Assistant B's Answer]\nsecond"));
    expect(content).toContain('"[[C]]" for a tie');
  });
  it('reads the last verdict tag', () => {
    expect(parsePairwise('A is wordy, [[B]] is... final: [[A]]')).toBe('A');
    expect(parsePairwise('[[C]]')).toBe('tie');
    expect(parsePairwise('A is better')).toBeUndefined();
  });
  it('a win needs both orders (or one and a tie); disagreement is a tie', () => {
    expect(combineSwapped('A', 'B')).toBe('win');
    expect(combineSwapped('A', 'tie')).toBe('win');
    expect(combineSwapped('B', 'A')).toBe('loss');
    expect(combineSwapped('tie', 'A')).toBe('loss');
    expect(combineSwapped('A', 'A')).toBe('tie'); // position bias: each order favours the first answer
    expect(combineSwapped('tie', 'tie')).toBe('tie');
    expect(combineSwapped(undefined, 'A')).toBe('invalid');
  });
});

describe('the request to an OpenAI-compatible endpoint', () => {
  it('POSTs chat/completions with the model, greedy, non-streaming, and the key as a bearer token', () => {
    const { url, init } = judgeRequest({ url: 'http://127.0.0.1:8080/v1/', model: 'judge-7b', key: 'sk-x' }, [{ role: 'user', content: 'hi' }]);
    expect(url).toBe('http://127.0.0.1:8080/v1/chat/completions');
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'content-type': 'application/json', authorization: 'Bearer sk-x' });
    expect(JSON.parse(init.body as string)).toEqual({ model: 'judge-7b', messages: [{ role: 'user', content: 'hi' }], temperature: 0, max_tokens: 512, stream: false });
    expect(judgeRequest({ url: 'http://h/v1', model: 'm' }, []).init.headers).toEqual({ 'content-type': 'application/json' });
  });
  it('reads the reply text, and names what is missing otherwise', () => {
    expect(judgeReplyText({ choices: [{ message: { role: 'assistant', content: 'Rating: [[9]]' } }] })).toBe('Rating: [[9]]');
    expect(() => judgeReplyText({ error: { message: 'model not found' } })).toThrow(/no choices\[0\]\.message\.content string: \{"error"/);
  });
  it('says how to fix an unreachable judge (a real closed port on this machine)', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const p = (server.address() as { port: number }).port;
        server.close(() => resolve(p));
      });
    });
    await expect(askJudge({ url: `http://127.0.0.1:${port}/v1`, model: 'm' }, [{ role: 'user', content: 'x' }])).rejects.toThrow(
      new RegExp(`cannot reach the judge at http://127\\.0\\.0\\.1:${port}/v1/chat/completions: .*Is the server running, and is --judge-url its …/v1 base\\?`),
    );
  });
});
