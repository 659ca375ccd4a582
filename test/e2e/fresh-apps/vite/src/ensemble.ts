// Core's easy start in a page author's app: model ids in, a ready ensemble out (like WebLLM's CreateMLCEngine).
// main.ts runs this for ?engine=ensemble&gguf=<origin of the GGUF files>.
import { createEnsemble } from '@attention-moa/core';

export async function runEnsemble(origin: string, out: HTMLElement): Promise<void> {
  const progress = out.appendChild(document.createElement('p'));
  const answer = out.appendChild(document.createElement('pre'));
  answer.id = 'answer';
  const moa = await createEnsemble([`${origin}/tiny-agent-a.gguf`, `${origin}/tiny-agent-b.gguf`], {
    initProgressCallback: (report) => (progress.textContent = report.text),
    maxTokens: { propose: 16, critique: 8, refine: 16, aggregate: 32 },
    temperature: 0,
  });
  // Each agent's limits come from its model's own record (here: the GGUF header and its chat template).
  out.dataset.agents = moa.agents.map((a) => `${a.name}:${a.contextWindow}:${a.noSystemRole ? 'no-system' : 'system'}`).join(',');
  let tokens = 0;
  for await (const event of moa.run([{ role: 'user', content: 'Why is the sky blue?' }])) {
    if (event.type === 'answer-reset') answer.textContent = '';
    if (event.type === 'answer-token') {
      answer.textContent += event.token;
      out.dataset.tokens = String(++tokens);
    }
  }
  await moa.dispose();
  out.dataset.done = 'true';
}
