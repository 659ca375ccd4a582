/**
 * Grading open-ended answers with a judge model behind any OpenAI-compatible endpoint (`POST {url}/chat/completions`).
 * Two protocols, both in the MT-Bench style: a single answer rated 1–10 ("Rating: [[7]]"), and a pairwise comparison
 * asked twice with the positions swapped, since judges favour one position; a win counts only when both orders
 * agree (or one wins and the other ties).
 */

export interface JudgeConfig {
  url: string;
  model: string;
  key?: string;
  /** Default 512. */
  maxTokens?: number;
}

export interface JudgeMessage {
  role: 'system' | 'user';
  content: string;
}

const SYSTEM =
  'You are an impartial judge of answers written by AI assistants. Judge helpfulness, correctness, relevance, depth and ' +
  'clarity. Do not let the length of an answer, the order of answers or the names of assistants influence you. Be as ' +
  'objective as possible.';

export function singleGradePrompt(question: string, answer: string, reference?: string): JudgeMessage[] {
  return [
    { role: 'system', content: SYSTEM },
    {
      role: 'user',
      content: [
        'Rate the answer below to the user question on a scale of 1 to 10. First explain your rating briefly, then give it ' +
          'on the last line in exactly this form: "Rating: [[5]]".',
        `[Question]\n${question}`,
        ...(reference ? [`[Reference answer]\n${reference}`] : []),
        `[The Start of the Answer]\n${answer}\n[The End of the Answer]`,
      ].join('\n\n'),
    },
  ];
}

/** The 1–10 rating a judge gave, or undefined when its reply holds none (or several different ones). */
export function parseSingleGrade(reply: string): number | undefined {
  const ratings = [...reply.matchAll(/\[\[\s*(\d+(?:\.\d+)?)\s*\]\]/g)].map((m) => Number(m[1]));
  const fallback = ratings.length ? ratings : [...reply.matchAll(/rating\s*[:=]\s*(\d+(?:\.\d+)?)\s*(?:\/\s*10)?/gi)].map((m) => Number(m[1]));
  const valid = [...new Set(fallback.filter((r) => r >= 1 && r <= 10))];
  return valid.length === 1 ? valid[0] : undefined;
}

export function pairwisePrompt(question: string, answerA: string, answerB: string): JudgeMessage[] {
  return [
    { role: 'system', content: SYSTEM },
    {
      role: 'user',
      content: [
        'Compare the two answers below to the user question and decide which one is better. Explain briefly, then give ' +
          'your verdict on the last line in exactly this form: "[[A]]" if assistant A is better, "[[B]]" if assistant B is ' +
          'better, "[[C]]" for a tie.',
        `[User Question]\n${question}`,
        `[The Start of Assistant A's Answer]\n${answerA}\n[The End of Assistant A's Answer]`,
        `[The Start of Assistant B's Answer]\n${answerB}\n[The End of Assistant B's Answer]`,
      ].join('\n\n'),
    },
  ];
}

export type PairVerdict = 'A' | 'B' | 'tie';

/** The last verdict tag in a pairwise reply, or undefined. */
export function parsePairwise(reply: string): PairVerdict | undefined {
  const tags = [...reply.matchAll(/\[\[\s*([ABC])\s*\]\]/g)].map((m) => m[1]!);
  const last = tags[tags.length - 1];
  return last === undefined ? undefined : last === 'C' ? 'tie' : (last as PairVerdict);
}

/**
 * Combines the two orders into the candidate's result against the baseline. `first`: candidate shown as A;
 * `second`: candidate shown as B. A win needs a win in one order and no loss in the other; disagreement is a tie.
 */
export function combineSwapped(first: PairVerdict | undefined, second: PairVerdict | undefined): 'win' | 'loss' | 'tie' | 'invalid' {
  if (first === undefined || second === undefined) return 'invalid';
  const asCandidate = (v: PairVerdict, candidateIs: 'A' | 'B') => (v === 'tie' ? 0 : v === candidateIs ? 1 : -1);
  const a = asCandidate(first, 'A');
  const b = asCandidate(second, 'B');
  if (a + b > 0 && a >= 0 && b >= 0) return 'win';
  if (a + b < 0 && a <= 0 && b <= 0) return 'loss';
  return 'tie';
}

/** The request body and headers of one judge call (pure, so it can be tested without a server). */
export function judgeRequest(config: JudgeConfig, messages: JudgeMessage[]): { url: string; init: RequestInit } {
  return {
    url: `${config.url.replace(/\/+$/, '')}/chat/completions`,
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(config.key ? { authorization: `Bearer ${config.key}` } : {}) },
      body: JSON.stringify({ model: config.model, messages, temperature: 0, max_tokens: config.maxTokens ?? 512, stream: false }),
    },
  };
}

/** The reply text of a chat-completions response body; throws naming what is missing. */
export function judgeReplyText(body: unknown): string {
  const content = (body as { choices?: { message?: { content?: unknown } }[] } | null)?.choices?.[0]?.message?.content;
  if (typeof content !== 'string') {
    throw new Error(`the judge's response has no choices[0].message.content string: ${JSON.stringify(body).slice(0, 200)}`);
  }
  return content;
}

/** One judge call over HTTP. */
export async function askJudge(config: JudgeConfig, messages: JudgeMessage[], fetchImpl: typeof fetch = fetch): Promise<string> {
  const { url, init } = judgeRequest(config, messages);
  let response: Response;
  try {
    response = await fetchImpl(url, init);
  } catch (error) {
    throw new Error(`cannot reach the judge at ${url}: ${(error as Error).message}. Is the server running, and is --judge-url its …/v1 base?`);
  }
  const text = await response.text();
  if (!response.ok) {
    const hint = response.status === 401 || response.status === 403 ? ' (check --judge-key)' : response.status === 404 ? ' (--judge-url should end in /v1)' : '';
    throw new Error(`the judge at ${url} answered HTTP ${response.status}${hint}: ${text.slice(0, 200)}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`the judge at ${url} did not answer JSON: ${text.slice(0, 200)}`);
  }
  return judgeReplyText(body);
}
