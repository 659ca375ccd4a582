import { expect, test } from '@playwright/test';

// What the protocol's role check found is shown on the call's card (issue 14): a "critique" that is a story is
// marked and not passed on; an empty refinement is marked and the agent keeps its proposal. Scripted engines (a
// documented test double) play the small models' failures; the recorded real outputs are in the unit tests.

const STORY =
  'Once upon a time there was a little rabbit named Pip who lived in a burrow under an old oak tree with his mother, ' +
  'his two sisters and a grumpy badger who snored all winter long.';

test('a story as a critique and an empty refinement are marked on their cards, with what the protocol did', async ({ page }) => {
  await page.goto('/test/e2e/pages/element.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await page.evaluate(
    ([story]) =>
      window.moaTest.setup({
        layers: 1,
        rules: [
          { when: { role: 'critique', agent: 'Ben', target: 'Cy' }, reply: story! },
          { when: { role: 'refine', agent: 'Cy' }, fault: { kind: 'empty' } },
        ],
      }),
    [STORY],
  );
  const el = page.locator('attention-moa');
  await el.locator('textarea').fill('What is the capital of France?');
  await el.locator('textarea').press('Enter');
  await expect(el.locator('[part=status]').last()).toHaveText(/^Done/, { timeout: 30_000 });
  await el.getByText('How this answer was made').click();

  const ben = el.locator('[part=agent-card][data-agent=Ben]');
  await ben.getByText(/^Critiques written/).click();
  const story = ben.locator('li', { hasText: 'On Cy' });
  await expect(story).toContainText('Once upon a time');
  await expect(story.locator('.role-check')).toHaveText(
    'Not a critique: it neither discusses the answers nor suggests anything about them. Not passed on to the refinement.',
  );
  // Ben's other critiques did their role: no note.
  await expect(ben.locator('li', { hasText: 'On Ada' }).locator('.role-check')).toHaveCount(0);

  const cy = el.locator('[part=agent-card][data-agent=Cy]');
  await expect(cy.locator('.role-check').last()).toHaveText('The output is empty. Kept the previous answer.');
  // Cy stays in the run: it was not dropped, and the aggregator got its proposal.
  await expect(cy).not.toContainText('Dropped from the run');
  const aggregatePrompt = await page.evaluate(() => {
    const records = (window.moaTest.events as { type: string; detail: { record?: { role: string; messages: { content: string }[] } } }[])
      .filter((e) => e.type === 'moa-call-end')
      .map((e) => e.detail.record!);
    return records.find((r) => r.role === 'aggregate')!.messages[0]!.content;
  });
  expect(aggregatePrompt).toContain('Cy** proposes: Paris is the capital of France.');
});
