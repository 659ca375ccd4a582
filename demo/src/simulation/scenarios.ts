/**
 * What the simulated agents say. Hand-written so a visitor without WebGPU sees what each protocol step does:
 * three proposals that differ (one with a real mistake), critiques that name a problem and give a reason, refinements
 * that take the suggestions in, an aggregate, and a second layer that only polishes, so the judge stops early.
 * It is a script, not a model: the UI labels every run made with it as simulated.
 */

export interface Scenario {
  id: string;
  /** Picks this scenario for a question. */
  matches(question: string): boolean;
  /** Layer-1 answers, one per persona (agents beyond three reuse them in turn). */
  proposals: [string, string, string];
  /** critiques[critic][target]; the diagonal is self-critique. */
  critiques: [[string, string, string], [string, string, string], [string, string, string]];
  refined: [string, string, string];
  /** Layer-1 aggregate of the refined answers. */
  aggregate: string;
  /** Classic MoA (no critique): the aggregate of the raw proposals, which keeps a flaw the critiques would catch. */
  classicAggregate: string;
  /** Layer ≥ 2: the polished final answer (close to the layer-1 aggregate: the deliberation has converged). */
  polished: string;
  /** Layer ≥ 2 critiques: short, mostly "no change needed". */
  lateCritique: string;
}

const SKY: Scenario = {
  id: 'sky',
  matches: (q) => /\bsky\b/i.test(q) && /blue/i.test(q),
  proposals: [
    `The sky is blue because sunlight bounces off the oceans and the blue of the water is reflected back onto the air above us. Sunlight contains every colour, but the sea mostly returns blue, so that is the colour we see when we look up.`,
    `Sunlight is a mix of all colours. When it passes through the atmosphere it hits nitrogen and oxygen molecules, which are much smaller than the wavelength of light. This is **Rayleigh scattering**: its strength goes as 1/λ⁴, so blue light (about 450 nm) is scattered roughly 5× more than red light (about 700 nm). That scattered blue light reaches our eyes from every direction of the sky.`,
    `Imagine sunlight as a crowd of colours running through a forest of tiny air molecules. The blue ones are small and fast-bouncing, so they get knocked around and end up coming at you from all over the sky. The red and yellow ones mostly run straight through. So wherever you look, you see blue light that was bounced your way.`,
  ],
  critiques: [
    [
      `Self-check: I claimed the sky is blue because it reflects the ocean. That cannot be right: the sky is just as blue over deserts and far inland. I should replace this with scattering of sunlight by the air itself, and drop the ocean claim entirely.`,
      `Your answer is correct and precise. Suggestion: the 1/λ⁴ formula and the nanometre values may lose a 12-year-old. Keep "blue is scattered about 5× more than red" and move the formula to a side note. Reason: the question asks for an explanation a child can follow.`,
      `The forest image is vivid and fits the audience. Suggestion: name the effect ("Rayleigh scattering") once, so the reader can look it up. Reason: a good explanation gives the child a word to take away, not only a picture.`,
    ],
    [
      `Your answer says the sky reflects the ocean. This is a common myth: the sky is blue over the Sahara too, and the ocean is blue partly because it reflects the sky, not the other way round. Suggestion: replace it with scattering by air molecules, as in my answer. Reason: the central claim is factually wrong.`,
      `Self-check: my answer is accurate but written for an adult. "Wavelength" and "1/λ⁴" need a plain-words version first. I also never say why the sky is not violet, which a curious reader will ask next: our eyes are less sensitive to violet, and some of it is absorbed high up.`,
      `The analogy works, but "small and fast-bouncing" colours is misleading: light of every colour travels at the same speed. Suggestion: say blue light has a shorter wave, which is what makes it bounce more. Reason: the analogy should not plant a new misconception.`,
    ],
    [
      `The ocean explanation is wrong and would confuse a child later in school. Suggestion: start from "sunlight is a mix of colours" and explain that air scatters blue the most, as both other answers do. Reason: correctness first.`,
      `Accurate, but dense. Suggestion: open with one everyday picture (light bouncing off tiny air particles), then the numbers. Reason: a 12-year-old needs the idea before the formula. Also worth adding: sunsets are red because at sunset light crosses much more air and the blue is scattered away before it reaches us.`,
      `Self-check: my picture is friendly, but I never say it is the air's molecules that do the scattering, and I skipped sunsets, which are the best evidence for the idea. Add both.`,
    ],
  ],
  refined: [
    `Sunlight looks white but is a mix of all colours. As it passes through the air, tiny nitrogen and oxygen molecules scatter it, and they scatter blue light much more than red (this is called Rayleigh scattering). That scattered blue comes at us from every direction, so the whole sky looks blue. It has nothing to do with the ocean: the sky is just as blue over a desert.`,
    `Think of sunlight as all the colours mixed together. The air is full of tiny molecules, much smaller than a wave of light. They bounce short waves (blue) around far more than long waves (red): about 5× more. That bounced blue light reaches your eyes from all over the sky, so the sky looks blue. The sky is not violet because our eyes are less sensitive to violet. At sunset the light crosses much more air, the blue is scattered away first, and reds and oranges are left.`,
    `Picture sunlight as a crowd of colours passing through a forest of tiny air molecules. Blue light has a shorter wave, so it gets bounced around the most (scientists call this Rayleigh scattering) and reaches you from every part of the sky. Red and yellow mostly pass straight through. At sunset, sunlight travels through far more air, most of the blue is bounced away before it reaches you, and the sky turns orange and red.`,
  ],
  aggregate: `**Short answer:** air scatters blue light much more than red, so blue light reaches your eyes from every direction of the sky.

**How it works**
- Sunlight looks white, but it is a mix of all colours.
- The air is made of tiny nitrogen and oxygen molecules, much smaller than a wave of light.
- They bounce short waves (blue) around about 5× more than long waves (red). Scientists call this *Rayleigh scattering*.
- That bounced blue light comes at you from all over the sky, so the sky looks blue.

**Two good follow-up questions**
- *Why not violet?* Violet is scattered even more, but our eyes are much less sensitive to it.
- *Why are sunsets red?* At sunset the light crosses much more air, the blue is scattered away first, and the reds and oranges are left.

(It is not a reflection of the ocean: the sky is just as blue over a desert.)`,
  classicAggregate: `The sky is blue because sunlight, which contains every colour, is scattered by the air: blue light is scattered about 5× more than red (Rayleigh scattering), so blue reaches us from every direction. The oceans also reflect this blue back onto the air above, which deepens the colour. Think of the colours as a crowd running through a forest of tiny molecules: the small, fast-bouncing blue ones get knocked around the most.`,
  polished: `**Short answer:** the air scatters blue light much more than red, so blue light reaches your eyes from every direction of the sky.

**How it works**
- Sunlight looks white, but it is a mix of all colours.
- The air is made of tiny nitrogen and oxygen molecules, much smaller than a wave of light.
- They bounce short waves (blue) around about 5× more than long waves (red). Scientists call this *Rayleigh scattering*.
- That bounced blue light comes at you from all over the sky, so the sky looks blue.

**Two good follow-up questions**
- *Why not violet?* Violet is scattered even more, but our eyes are much less sensitive to it, and some of it is absorbed high in the atmosphere.
- *Why are sunsets red?* At sunset the light crosses much more air, the blue is scattered away first, and the reds and oranges are left.

(It is not a reflection of the ocean: the sky is just as blue over a desert.)`,
  lateCritique: `The reference answer is correct and pitched at the right level. One small addition: violet is also partly absorbed high in the atmosphere. Otherwise no change needed.`,
};

const DEDUPE: Scenario = {
  id: 'dedupe',
  matches: (q) => /duplicat/i.test(q) && /(array|list|javascript|js|typescript)/i.test(q),
  proposals: [
    "```js\nfunction unique(items) {\n  return [...new Set(items)];\n}\n```\nA `Set` keeps only the first occurrence of each value, and spreading it keeps insertion order. O(n).",
    "```js\nfunction unique(items) {\n  return items.filter((item, index) => items.indexOf(item) === index);\n}\n```\nKeeps an item only where it first appears, so the order is preserved.",
    "```js\nfunction uniqueBy(items, key = (x) => x) {\n  const seen = new Set();\n  return items.filter((item) => {\n    const k = key(item);\n    if (seen.has(k)) return false;\n    seen.add(k);\n    return true;\n  });\n}\n```\nWorks for objects too when you pass a key, e.g. `uniqueBy(users, (u) => u.id)`.",
  ],
  critiques: [
    [
      "Self-check: `new Set` compares by identity, so two equal-looking objects (`{id: 1}` twice) both stay. I should say so, and show the key-function variant for objects.",
      "`indexOf` inside `filter` is O(n²): 100,000 items means about 5 billion comparisons. Suggest a `Set`, as in my answer, which is O(n). Also `indexOf` never finds `NaN` (NaN !== NaN), so every `NaN` is dropped. Reason: correctness and speed.",
      "Good generalisation. Suggestion: show the simple call first (`uniqueBy(numbers)`), since that is what the question asks for; the key function is a bonus. Reason: answer the question before extending it.",
    ],
    [
      "Short and correct for primitives. Suggestion: mention that objects are compared by reference, so `[{a:1},{a:1}]` is left unchanged. Reason: that is the first surprise users hit.",
      "Self-check: my version is quadratic and mishandles `NaN` (`indexOf(NaN)` is always -1, so NaN is removed entirely). I should switch to a `Set`.",
      "The key function is the right idea for objects. Suggestion: note that `Set` uses SameValueZero, so `NaN` is handled and `0`/`-0` count as the same value. Reason: it documents the edge cases users will test.",
    ],
    [
      "Correct and idiomatic. Suggestion: add the object case with a key function, e.g. `uniqueBy(users, u => u.id)`. Reason: arrays of records are a very common real-world case.",
      "The `indexOf` approach is O(n²) and loses `NaN`. Suggestion: track seen values in a `Set`, as my answer does. Reason: it is just as short and scales.",
      "Self-check: my function is right, but I named it `uniqueBy` while the question asks for removing duplicates. Offer `unique(items)` as the main entry point and keep `key` optional.",
    ],
  ],
  refined: [
    "```js\nfunction unique(items) {\n  return [...new Set(items)];\n}\n```\nKeeps the first occurrence of each value, in order, in O(n). Note: objects are compared by reference; for arrays of records, deduplicate by a key (e.g. `id`).",
    "```js\nfunction unique(items) {\n  const seen = new Set();\n  return items.filter((item) => !seen.has(item) && seen.add(item));\n}\n```\nO(n) instead of O(n²), and `NaN` is kept once (a `Set` uses SameValueZero).",
    "```js\nfunction unique(items, key = (x) => x) {\n  const seen = new Set();\n  return items.filter((item) => {\n    const k = key(item);\n    if (seen.has(k)) return false;\n    seen.add(k);\n    return true;\n  });\n}\n```\n`unique([3, 1, 3, 2])` → `[3, 1, 2]`; for records: `unique(users, (u) => u.id)`.",
  ],
  aggregate:
    "For plain values, a `Set` does it in one line and keeps the order of first appearance:\n\n```js\nconst unique = (items) => [...new Set(items)];\n\nunique([3, 1, 3, 2, 1]); // [3, 1, 2]\n```\n\nFor objects, which a `Set` compares by reference, deduplicate by a key:\n\n```js\nfunction uniqueBy(items, key) {\n  const seen = new Set();\n  return items.filter((item) => {\n    const k = key(item);\n    if (seen.has(k)) return false;\n    seen.add(k);\n    return true;\n  });\n}\n\nuniqueBy(users, (u) => u.id);\n```\n\n| approach | time | NaN | objects |\n|---|---|---|---|\n| `[...new Set(a)]` | O(n) | kept once | by reference |\n| `filter` + `indexOf` | O(n²) | **dropped** | by reference |\n| `uniqueBy(a, key)` | O(n) | kept once | by key |\n\nWhy `indexOf` is quadratic: for the $i$-th item it scans up to $i$ earlier items, so $n$ items cost\n\n$$\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2} \\in O(n^2)$$\n\nwhile each `Set` lookup is $O(1)$ on average.",
  classicAggregate:
    "```js\nfunction unique(items) {\n  return items.filter((item, index) => items.indexOf(item) === index);\n}\n```\nThis keeps each item where it first appears, so the order is preserved. A `Set` also works: `[...new Set(items)]`. For objects, pass a key function and track the keys you have seen.",
  polished:
    "For plain values, a `Set` does it in one line and keeps the order of first appearance:\n\n```js\nconst unique = (items) => [...new Set(items)];\n\nunique([3, 1, 3, 2, 1]); // [3, 1, 2]\n```\n\nFor objects, which a `Set` compares by reference, deduplicate by a key:\n\n```js\nfunction uniqueBy(items, key) {\n  const seen = new Set();\n  return items.filter((item) => {\n    const k = key(item);\n    if (seen.has(k)) return false;\n    seen.add(k);\n    return true;\n  });\n}\n\nuniqueBy(users, (u) => u.id);\n```\n\n| approach | time | NaN | objects |\n|---|---|---|---|\n| `[...new Set(a)]` | O(n) | kept once | by reference |\n| `filter` + `indexOf` | O(n²) | **dropped** | by reference |\n| `uniqueBy(a, key)` | O(n) | kept once | by key |\n\nWhy `indexOf` is quadratic: for the $i$-th item it scans up to $i$ earlier items, so $n$ items cost\n\n$$\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2} \\in O(n^2)$$\n\nwhile each `Set` lookup is $O(1)$ on average.\n\nBoth keep the first occurrence; `0` and `-0` count as the same value.",
  lateCritique: 'The reference covers primitives, objects and the edge cases. Optional: mention that 0 and -0 are treated as equal. No other change needed.',
};

const REMOTE: Scenario = {
  id: 'remote',
  matches: (q) => /remote/i.test(q) && /(work|team)/i.test(q),
  proposals: [
    `**Pros:** no commute, a wider hiring pool, fewer interruptions for deep work, lower office costs.\n**Cons:** harder onboarding, slower informal communication, loneliness for some people, and time-zone friction.`,
    `Remote work raises productivity for everyone: studies show remote employees are always more productive. The main downside is that meetings move to video calls. A small team should simply go fully remote.`,
    `For a small team the question is mostly about communication. Remote work gives flexibility and focus time, but you lose the quick "can I ask you something" moments, and new people learn more slowly. It helps to write things down, keep a few overlapping hours, and meet in person now and then.`,
  ],
  critiques: [
    [
      `Self-check: my list is balanced but gives no advice. A small team needs to know what to do about the cons: written decisions, overlapping hours, regular in-person time.`,
      `"Always more productive" is not what the research says: results are mixed and depend on the task and on how the team communicates. Suggestion: present it as a trade-off and drop the universal claim. Reason: overclaiming misleads the reader's decision.`,
      `Good practical advice. Suggestion: also list the concrete pros (hiring pool, costs), as in my answer, so the reader sees both sides. Reason: the question asks for pros and cons.`,
    ],
    [
      `Clear list. Suggestion: add that small teams feel onboarding costs more, because each new person is a large share of the team. Reason: it is the con that hurts small teams most.`,
      `Self-check: I stated that remote workers are always more productive; that is an overgeneralisation. I also recommended going fully remote without weighing the cons. I should present the trade-off and a hybrid option.`,
      `Strong point about lost informal moments. Suggestion: make "write things down" concrete (decision log, async updates). Reason: advice is more useful when it is actionable.`,
    ],
    [
      `Balanced. Suggestion: turn the cons into fixes, e.g. onboarding buddy, weekly written update. Reason: the reader is a small team deciding how to work, not just collecting arguments.`,
      `The universal productivity claim is unsupported and the recommendation ignores the cons. Suggestion: "it depends" with the conditions that make remote work well. Reason: the advice should fit the team's situation.`,
      `Self-check: I never listed the pros and cons explicitly, which is what was asked. I should lead with a short table, then the advice.`,
    ],
  ],
  refined: [
    `**Pros:** no commute, a wider hiring pool, fewer interruptions for deep work, lower office costs.\n**Cons:** harder onboarding (a big deal when each hire is a large share of the team), slower informal communication, isolation, time-zone friction.\n**What helps:** written decisions, a few overlapping hours, an onboarding buddy, regular in-person days.`,
    `Remote work is a trade-off. It tends to help focused, well-specified work and hurt onboarding and quick collaboration; research on productivity is mixed. For a small team, a hybrid setup or remote with strong written habits usually works better than a blanket rule.`,
    `| | Remote |\n|---|---|\n| + | flexibility, focus time, hiring pool, lower costs |\n| − | fewer informal moments, slower onboarding, isolation |\n\nMake it work by writing things down (a decision log, async weekly updates), keeping overlapping hours and meeting in person regularly.`,
  ],
  aggregate: `| Pros | Cons |\n|---|---|\n| No commute, more focus time | Slower informal communication |\n| Hiring from anywhere | Harder onboarding: each hire is a big share of a small team |\n| Lower office costs | Isolation for some people |\n| Flexibility | Time-zone friction |\n\nThe research on productivity is mixed: it depends on the work and on how well the team communicates.\n\n**If you go remote or hybrid**\n1. Write decisions down (a short decision log) and post weekly async updates.\n2. Keep 3–4 overlapping hours a day for quick questions.\n3. Give each new person an onboarding buddy.\n4. Meet in person regularly, e.g. one day a month.`,
  classicAggregate: `Remote work gives a small team flexibility, focus time, a wider hiring pool and lower costs, and remote employees are generally more productive. The downsides are harder onboarding, fewer informal conversations and some isolation. Writing things down and meeting in person now and then helps; many small teams can simply go fully remote.`,
  polished: `| Pros | Cons |\n|---|---|\n| No commute, more focus time | Slower informal communication |\n| Hiring from anywhere | Harder onboarding: each hire is a big share of a small team |\n| Lower office costs | Isolation for some people |\n| Flexibility | Time-zone friction |\n\nThe research on productivity is mixed: it depends on the kind of work and on how well the team communicates.\n\n**If you go remote or hybrid**\n1. Write decisions down (a short decision log) and post weekly async updates.\n2. Keep 3–4 overlapping hours a day for quick questions.\n3. Give each new person an onboarding buddy.\n4. Meet in person regularly, e.g. one day a month.`,
  lateCritique: `The reference is balanced and actionable. No change needed beyond wording.`,
};

/** Any other question: the script cannot know the answer, so it says what each agent would do, in the protocol's shape. */
export function genericScenario(question: string): Scenario {
  const q = question.trim().replace(/\s+/g, ' ');
  const topic = q.length > 90 ? `${q.slice(0, 87)}…` : q;
  return {
    id: 'generic',
    matches: () => true,
    proposals: [
      `*(Simulated answer: no model is running, so this text is scripted.)* A direct answer to “${topic}” would open with the key point in one sentence, then give two supporting facts.`,
      `*(Simulated.)* A careful answer to “${topic}” would define the terms first, then reason step by step, and state its assumptions, though it might get long.`,
      `*(Simulated.)* A friendly answer to “${topic}” would use an everyday example to make the idea concrete, but could skip a detail or two.`,
    ],
    critiques: [
      [
        `Self-check: my answer is short; it states the point but gives no example. I should add one concrete example.`,
        `Your step-by-step reasoning is thorough. Suggestion: lead with the conclusion so the reader gets the answer first. Reason: the structure buries the key point.`,
        `The example is helpful. Suggestion: check it against the definition, since examples can over-simplify. Reason: an analogy must not introduce an error.`,
      ],
      [
        `Suggestion: state the assumptions your answer relies on. Reason: a short answer can be right in one setting and wrong in another.`,
        `Self-check: my answer is correct but long. I should cut the repetition and put the conclusion first.`,
        `Suggestion: name the precise term behind your example, so the reader can look it up. Reason: it links the intuition to the facts.`,
      ],
      [
        `Suggestion: add an everyday example, as in my answer. Reason: it makes the key point stick.`,
        `Suggestion: shorten the definitions to one line each. Reason: readers skim.`,
        `Self-check: I skipped an edge case. I should mention when the simple picture stops being true.`,
      ],
    ],
    refined: [
      `*(Simulated.)* Key point first, then one concrete example and the assumption it depends on.`,
      `*(Simulated.)* Conclusion first, then the reasoning in three short steps, with the assumptions stated.`,
      `*(Simulated.)* An everyday example, the precise term behind it, and where the simple picture stops being true.`,
    ],
    aggregate: `*(Simulated answer: no model is running.)*\n\nWith real models, the final answer to “${topic}” would combine what the critiques agreed on:\n\n1. **The key point first**, in one sentence.\n2. **A concrete example**, checked against the definition.\n3. **The reasoning**, in a few short steps, with its assumptions.\n4. **Where it stops being true**: the edge case one agent caught in its self-critique.\n\nTry one of the example questions to see a fully scripted deliberation, or load real models on a WebGPU device.`,
    classicAggregate: `*(Simulated answer: no model is running.)*\n\nWithout critique, the aggregator merges the three first drafts of an answer to “${topic}” as they are: the short one, the long one and the example, including the detail the example got wrong.`,
    polished: `*(Simulated answer: no model is running.)*\n\nWith real models, the final answer to “${topic}” would combine what the critiques agreed on:\n\n1. **The key point first**, in one sentence.\n2. **A concrete example**, checked against the definition.\n3. **The reasoning**, in a few short steps, with its assumptions stated.\n4. **Where it stops being true**: the edge case one agent caught in its self-critique.\n\nTry one of the example questions to see a fully scripted deliberation, or load real models on a WebGPU device.`,
    lateCritique: `*(Simulated.)* The reference already has the key point, an example and the edge case. No change needed.`,
  };
}

export const SCENARIOS: readonly Scenario[] = [SKY, DEDUPE, REMOTE];

export function scenarioFor(question: string): Scenario {
  return SCENARIOS.find((s) => s.matches(question)) ?? genericScenario(question);
}
