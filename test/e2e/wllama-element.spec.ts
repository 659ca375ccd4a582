import { expect, test } from '@playwright/test';

// Real tokens from llama.cpp stream into <attention-moa>: three tiny GGUF models in agent workers, loaded by the
// element's pool loader with the WASM engine, one full Attention-MoA layer, the answer rendered as it streams.

test('<attention-moa> loads GGUF models with the WASM engine and renders the real answer as it streams', async ({ page }) => {
  await page.goto('/test/e2e/pages/wllama-element.html');
  await expect(page.locator('#status')).toHaveText('ready');

  // Record what a user sees: the answer region's text at every frame while the run streams.
  await page.evaluate(() => {
    const w = window as unknown as { seen: string[]; counts: Record<string, number>; progress: unknown[] };
    w.seen = [];
    w.counts = {};
    w.progress = [];
    const el = document.querySelector('attention-moa')!;
    for (const name of ['moa-call-token', 'moa-answer-token', 'moa-call-end', 'moa-ready', 'moa-done']) {
      el.addEventListener(name, () => void (w.counts[name] = (w.counts[name] ?? 0) + 1));
    }
    el.addEventListener('moa-load-progress', (e) => w.progress.push((e as CustomEvent).detail));
    const sample = () => {
      const text = el.shadowRoot?.querySelector('[part="answer"] .md')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
      if (text && text !== w.seen.at(-1)) w.seen.push(text);
      if (el.status !== 'done') requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
  });
  const result = await page.evaluate(async () => {
    const el = document.querySelector('attention-moa')!;
    const r = await el.ask('Why is the sky blue?');
    return r && { answer: r.answer, calls: r.trace.length, roles: r.trace.map((c) => c.role), finish: r.trace.map((c) => c.finishReason) };
  });
  expect(result).not.toBeNull();
  expect(result!.calls).toBe(16);
  expect(result!.finish.every((f) => f === 'length')).toBe(true);

  const { seen, counts, progress } = await page.evaluate(() => {
    const w = window as unknown as { seen: string[]; counts: Record<string, number>; progress: { model: string; progress: number }[] };
    return { seen: w.seen, counts: w.counts, progress: w.progress.map((p) => ({ model: p.model, progress: p.progress })) };
  });
  // Every token of every call came through the element's events, and the answer was rendered in several steps.
  expect(counts['moa-ready']).toBe(1);
  expect(counts['moa-call-end']).toBe(16);
  expect(counts['moa-call-token']).toBeGreaterThanOrEqual(3 * 24 + 9 * 12 + 3 * 24 + 96);
  expect(counts['moa-answer-token']).toBeGreaterThanOrEqual(10);
  // The user saw the answer grow: at least one partial rendering before the full one, each longer than the last.
  const final = result!.answer.replace(/\s+/g, ' ').trim();
  expect(seen.length).toBeGreaterThanOrEqual(2);
  expect(seen[0]!.length).toBeLessThan(final.length);
  for (let i = 1; i < seen.length; i++) expect(seen[i]!.length).toBeGreaterThanOrEqual(seen[i - 1]!.length);
  // The sampler stops when the element reports done, which can come a frame before the last render: the final
  // text is checked on the DOM below, with auto-waiting, instead of against the last sample.
  expect(final.length).toBeGreaterThan(20);
  // Load progress came from the WASM engine, for each of the three models.
  expect(new Set(progress.map((p) => p.model))).toEqual(new Set(['tiny-agent-a.gguf', 'tiny-agent-b.gguf', 'tiny-agent-c.gguf']));
  await expect(page.locator('attention-moa').locator('[part="answer"] .md')).toHaveText(final);
});

test('<attention-moa> with a model per backend: the pool picks WASM here and the loading panel says why', async ({ page }) => {
  await page.goto('/test/e2e/pages/wllama-element.html');
  await expect(page.locator('#status')).toHaveText('ready');
  const notes = await page.evaluate(async () => {
    const el = document.querySelector('attention-moa')! as HTMLElement & { loader: unknown; models: string; load(): Promise<void> };
    const { createPoolLoader } = window as unknown as { createPoolLoader: (o: unknown) => unknown };
    // Each model id names a WebLLM family for WebGPU and a tiny GGUF for the CPU; the pool decides per model.
    el.loader = createPoolLoader({
      spec: (id: string) => ({ webgpu: { model: 'Qwen2.5-0.5B-Instruct' }, wasm: { model: `/test/fixtures/generated/${id}` } }),
    });
    el.models = 'tiny-agent-a.gguf, tiny-agent-b.gguf';
    const seen = new Set<string>();
    let watching = true;
    const watch = () => {
      for (const n of el.shadowRoot?.querySelectorAll('[part="loading"] .note') ?? []) seen.add(n.textContent ?? '');
      if (watching) requestAnimationFrame(watch);
    };
    watch();
    await el.load();
    watching = false;
    return [...seen];
  });
  // SwiftShader (a software adapter) or no adapter: either way WASM, and the reason is shown while loading.
  expect(notes.some((n) => /^tiny-agent-a\.gguf: WASM \(llama\.cpp on the CPU\): /.test(n))).toBe(true);
  expect(notes.some((n) => /^tiny-agent-b\.gguf: WASM \(llama\.cpp on the CPU\): /.test(n))).toBe(true);
});
