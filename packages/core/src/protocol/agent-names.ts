/**
 * Agent names from model ids, for pages that make one agent per model (the element's `models` attribute, the demo):
 * short enough for cards and the attention map, unique within a run. The one rule for every such page.
 */

/** "Qwen2.5-0.5B-Instruct-q4f16_1-MLC" → "Qwen2.5-0.5B": the id without its chat tag, quantization and build suffix. */
export function agentName(model: string): string {
  const short = model
    .replace(/-MLC(-\w+)?$/i, '')
    .replace(/-q\d+f\d+(_\d+)?$/i, '')
    .replace(/-(Instruct|it|Chat)(-v[\d.]+)?$/i, '');
  return short || model;
}

/**
 * Readable, unique agent names for a list of models: `shorten(model)` for each, and the model itself where two
 * would read the same (two builds of one model differ only in what was shortened away).
 */
export function agentNames(models: readonly string[], shorten: (model: string) => string = agentName): string[] {
  const short = models.map(shorten);
  return short.map((name, i) => (short.indexOf(name) !== short.lastIndexOf(name) ? models[i]! : name));
}
