/**
 * Small models echo the prompt's scaffolding: the fences around data (`<<<RESPONSE 2>>>`), the data labels
 * ("ROUND 1 (CURRENT):", "Suggestion 1 (from A)"), a judge's verdict line inside an answer, and the chat
 * template's own turn markers (`<|im_end|>`, `<end_of_turn>`) after which they invent further turns. None of that is
 * the answer: `cleanScaffolding` removes it before an output is passed on or shown, and says what it removed.
 * Text that merely mentions such words in a sentence ("as response 2 says") is left alone.
 */

/** Turn markers of common chat templates (ChatML, Gemma, Llama 3, Phi, Mistral), written as plain text. */
const TURN_MARKER = /<\|im_start\|>|<\|im_end\|>|<start_of_turn>|<end_of_turn>|<\|eot_id\|>|<\|start_header_id\|>|<\|end_header_id\|>|<\|end\|>|<\|endoftext\|>|<\|user\|>|<\|assistant\|>|<\/s>|\[\/?INST\]/i;
/** A turn opening: the marker and the role name after it. */
const LEADING_TURN = /^\s*(?:<\|im_start\|>|<start_of_turn>|<\|start_header_id\|>)\s*(?:assistant|model|system|user)?\s*(?:<\|end_header_id\|>)?\s*/i;

/**
 * The prompt's data fences as models echo them: `<<<LABEL>>>`, `<<<END LABEL>>>`, sloppy copies
 * (`<<<END YOUR ANSWER OF gemma>>`, `<<<Q: 17 + 25 = 32>>`), the neutralized form `< < <…> > >`, a fence cut by the token cap, and a bare
 * `<<<` or `>>>` (SmolLM2 opens critiques with one). Runs of three angle brackets occur in no answer these prompts ask for.
 */
const FENCE = /(?:<\s?){3,}[^<>\n]{0,60}?(?:>\s?){2,}|<{3,}\s*(?:END\s+)?[A-Z][A-Za-z0-9 ()'.,_-]{0,60}$|<{3,}|>{3,}/g;

/**
 * The prompts' data labels at the start of a line, alone or before the text they label: the numbered ones in any
 * case ("Response 2:", "ROUND 1 (CURRENT)", "Suggestion 1 (from A):"), the others as the prompts write them
 * (upper case: "YOUR ANSWER", "ANSWER OF B", "REFERENCE RESPONSE", "QUESTION").
 */
const NUMBERED_LABEL = /(?:RESPONSE|ROUND|SUGGESTION)\s+\d+(?:\s*\((?:CURRENT|from [^)\n]{1,40})\))?/i;
const FIXED_LABEL = /(?:YOUR PREVIOUS ANSWER|YOUR ANSWER|ANSWER OF [^\s:*)]{1,40}|REFERENCE RESPONSE|QUESTION|END (?:RESPONSE|ROUND|SUGGESTION)[^\n:]*)/;
const LABEL_LINE = new RegExp(
  String.raw`^([ \t>#-]*)(?:\*\*|__)?(?:${NUMBERED_LABEL.source}|${FIXED_LABEL.source})(?:\*\*|__)?\s*(?::|-|—|–|\.(?=\s|$)|$)(?:\*\*|__)?[ \t]*`,
  'gim',
);

export interface Cleaned {
  text: string;
  /** What was removed, for the trace: e.g. ['turn markers', 'data labels']. Empty when the text was clean. */
  removed: string[];
}

export interface CleanOptions {
  /** The judge's stop phrase: a line that is only this (a verdict that leaked into an answer) is removed. */
  stopPhrase?: string;
  /** The continue word of the judge's fixed form: a line that is only this is removed too. */
  continueWord?: string;
}

function onlyWords(line: string): string {
  return line.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** Removes echoed prompt scaffolding from a model's output (reasoning already stripped). */
export function cleanScaffolding(text: string, options: CleanOptions = {}): Cleaned {
  const removed = new Set<string>();
  let out = text;

  // Turn markers: a leading turn opening is dropped; from the next marker on, the model is writing turns of its own.
  const lead = LEADING_TURN.exec(out);
  if (lead && lead[0].trim()) {
    out = out.slice(lead[0].length);
    removed.add('turn markers');
  }
  const marker = TURN_MARKER.exec(out);
  if (marker) {
    out = out.slice(0, marker.index);
    removed.add('turn markers');
  }

  const fenced = out.replace(FENCE, '');
  if (fenced !== out) removed.add('data fences');
  out = fenced;

  const labelled = out.replace(LABEL_LINE, '$1');
  if (labelled !== out) removed.add('data labels');
  out = labelled;

  const verdicts = [options.stopPhrase, options.continueWord].filter((p): p is string => !!p && !!onlyWords(p)).map(onlyWords);
  if (verdicts.length) {
    const lines = out.split('\n');
    const kept = lines.filter((line) => !verdicts.includes(onlyWords(line.replace(/^[\s>#*_-]*(?:verdict|decision)\s*:/i, ''))));
    if (kept.length !== lines.length) removed.add('verdict line');
    out = kept.join('\n');
  }

  // Lines the removals emptied (a bare "**" or "-"), and the blank runs they leave.
  if (removed.size) {
    out = out
      .split('\n')
      .filter((line) => !(line.trim() && /^[\s>#*_:]+$/.test(line)))
      .join('\n')
      .replace(/\n{3,}/g, '\n\n');
  }
  out = out.trim();
  return { text: out, removed: [...removed] };
}
