// The XSS corpus through <attention-moa> (issue 9): every payload as the user's question and as model output
// streamed token by token (single characters, or cut at every markup character), then a DOM audit of the page and
// every shadow root. The spec watches dialogs and network requests from outside.
import '@attention-moa/element';
import type { AttentionMoAElement, ChatCompletionChunk, ChatEngine, ChatCompletionCreateParams } from '@attention-moa/element';
import corpus from '../../fixtures/xss-corpus.json';
import { loadHighlighter, loadMathRenderer } from '../../../packages/element/src/markdown/rich-loaders';

type Split = 'chars' | 'markup' | 'whole';

// Canary: anything that manages to run calls alert/confirm/prompt (or reaches one of these globals).
const hits: string[] = [];
for (const name of ['alert', 'confirm', 'prompt', 'print'] as const) {
  (window as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
    hits.push(`${name}(${args.map(String).join(', ')})`);
    return undefined;
  };
}

/** Cuts text into stream tokens: single characters, or at every markup-significant character (before and after). */
export function splitText(text: string, split: Split): string[] {
  if (split === 'whole') return [text];
  if (split === 'chars') return Array.from(text);
  const out: string[] = [];
  let current = '';
  for (const ch of text) {
    if ('<>"\'=:&;/()[]!`#\\\n\t'.includes(ch)) {
      if (current) out.push(current);
      out.push(ch);
      current = '';
    } else {
      current += ch;
      // …and inside words every 3 characters ("scr" | "ipt", "jav" | "asc" | "rip" | "t:").
      if (current.length === 3) {
        out.push(current);
        current = '';
      }
    }
  }
  if (current) out.push(current);
  return out;
}

/** Yields with a macrotask and no timer clamping, like a message from a worker. */
const macrotask = () =>
  new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(0);
  });

/** An engine that streams whatever the harness put in `script` for the calling agent/role, cut by `split`. */
function scriptedOutput(name: string, script: { text: (role: string, agent: string) => string; split: Split }): ChatEngine {
  return {
    chat: {
      completions: {
        async create(params: ChatCompletionCreateParams, options?: { signal?: AbortSignal; call?: { role: string; agent: string } }) {
          const text = script.text(options?.call?.role ?? 'propose', options?.call?.agent ?? name);
          const tokens = splitText(text, script.split);
          return (async function* (): AsyncGenerator<ChatCompletionChunk> {
            for (const [i, content] of tokens.entries()) {
              if (options?.signal?.aborted) throw options.signal.reason;
              // A macrotask now and then, as worker batches arrive: the renderer sees partial markup.
              if (i % 8 === 7) await macrotask();
              yield { id: 'x', object: 'chat.completion.chunk', created: 0, model: name, choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: null }] };
            }
            yield { id: 'x', object: 'chat.completion.chunk', created: 0, model: name, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] };
          })();
        },
      },
    } as ChatEngine['chat'],
  };
}

const el = document.querySelector('attention-moa') as AttentionMoAElement;
const payloads = corpus.payloads as { id: string; category: string; payload: string }[];
const script = { text: (_role: string, _agent: string) => '', split: 'chars' as Split };

const ATTRIBUTE_URL = /^(?:javascript|vbscript|livescript):|^data:(?!image\/)/i;
// The component's own controls; model and user text may add none of these, nor anything else active.
const FORBIDDEN = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'img', 'image', 'svg', 'math', 'style', 'link', 'meta',
  'base', 'video', 'audio', 'source', 'track', 'picture', 'marquee', 'isindex', 'keygen', 'xml', 'animate', 'set', 'foreignobject', 'use', 'bgsound', 'template', 'noscript', 'portal',
  'annotation-xml', 'maction']);
// What the element's formula renderer may build (KaTeX's MathML through its allowlist), and nothing from text.
const MATHML_NS = 'http://www.w3.org/1998/Math/MathML';
const MATH_TAGS = new Set(['math', 'semantics', 'annotation', 'mrow', 'mi', 'mn', 'mo', 'ms', 'mtext', 'mspace', 'msup', 'msub', 'msubsup', 'mfrac', 'msqrt',
  'mroot', 'mover', 'munder', 'munderover', 'mmultiscripts', 'mprescripts', 'none', 'mtable', 'mtr', 'mtd', 'mlabeledtr', 'mstyle', 'mpadded', 'mphantom', 'menclose', 'merror']);
const MATH_ATTRIBUTES = new Set(['display', 'mathvariant', 'displaystyle', 'stretchy', 'fence', 'separator', 'accent', 'accentunder', 'largeop', 'movablelimits',
  'symmetric', 'scriptlevel', 'lspace', 'rspace', 'width', 'height', 'depth', 'voffset', 'minsize', 'maxsize', 'linethickness', 'mathsize', 'columnspacing',
  'rowspacing', 'columnalign', 'rowalign', 'columnlines', 'rowlines', 'notation', 'linebreak', 'mathcolor', 'mathbackground', 'encoding']);
const OWN_CONTROLS: Record<string, number> = { form: 1, textarea: 1, input: 0, select: 0 };

/** Walks the document and every shadow root: on* attributes, script-bearing URLs, forbidden or extra elements. */
function audit() {
  const problems: string[] = [];
  const counts: Record<string, number> = {};
  const visit = (root: Document | ShadowRoot, where: string) => {
    for (const node of root.querySelectorAll('*')) {
      const tag = node.localName;
      const inComponent = where !== 'document';
      if (inComponent) counts[tag] = (counts[tag] ?? 0) + 1;
      for (const attr of node.attributes) {
        if (/^on/i.test(attr.name)) problems.push(`${where}: <${tag} ${attr.name}="${attr.value.slice(0, 40)}">`);
        // Browsers ignore leading whitespace and embedded tabs/newlines in URL schemes: so does this check.
        const value = attr.value.replace(/[\u0000-\u0020\u007f-\u00a0]+/g, '');
        if (ATTRIBUTE_URL.test(value) && !/^data-/.test(attr.name)) problems.push(`${where}: <${tag} ${attr.name}="${attr.value.slice(0, 60)}">`);
        if (['style', 'srcdoc', 'formaction', 'xlink:href', 'background', 'dynsrc', 'lowsrc'].includes(attr.name) && inComponent && !isOwnStyle(node, attr.name)) {
          problems.push(`${where}: <${tag} ${attr.name}> from text`);
        }
      }
      if (inComponent && FORBIDDEN.has(tag) && !isOwnSvg(node) && !isOwnMath(node)) problems.push(`${where}: <${tag}> element`);
      if (inComponent && node.closest('math')) {
        // Inside a formula: MathML elements and attributes of the renderer's allowlist only; colours and lengths plain.
        if (node.namespaceURI !== MATHML_NS || !MATH_TAGS.has(tag)) problems.push(`${where}: <${tag}> inside <math>`);
        for (const attr of node.attributes) {
          if (!MATH_ATTRIBUTES.has(attr.name) || !/^[\w#.%+\- /]*$/.test(attr.value)) problems.push(`${where}: <${tag} ${attr.name}="${attr.value.slice(0, 40)}"> inside <math>`);
        }
      }
      if (node.shadowRoot) visit(node.shadowRoot, `${where} > ${tag}`);
    }
  };
  visit(document, 'document');
  for (const [tag, allowed] of Object.entries(OWN_CONTROLS)) if ((counts[tag] ?? 0) > allowed) problems.push(`component: ${counts[tag]} <${tag}> (its own: ${allowed})`);
  const shadow = el.shadowRoot!;
  const rendered = { formulas: shadow.querySelectorAll('.math.rendered math').length, highlighted: shadow.querySelectorAll('code.highlighted').length };
  return { problems, hits: hits.slice(), title: document.title, location: location.href, rendered };
}
/** The component's own inline SVG icons and style attributes (none today) would be listed here. */
function isOwnSvg(_node: Element): boolean {
  return false;
}
/** A formula the element rendered: a MathML <math> directly in its formula box (`span.math` / `div.math`, part="math"). */
function isOwnMath(node: Element): boolean {
  const box = node.parentElement;
  return node.localName === 'math' && node.namespaceURI === MATHML_NS && !!box && box.classList.contains('math') && box.getAttribute('part') === 'math';
}
function isOwnStyle(node: Element, attr: string): boolean {
  // The component sets style only on its own progress/length bars (custom properties), never from text.
  return attr === 'style' && /^(?:--[\w-]+:\s*[\d.]+%?;\s*)+$/.test(`${node.getAttribute('style')?.trim() ?? ''};`.replace(/;;$/, ';'));
}

const settled = async () => {
  for (let i = 0; i < 400 && el.status === 'running'; i++) await new Promise((r) => setTimeout(r, 10));
  await el.updateComplete;
  await new Promise((r) => requestAnimationFrame(() => r(undefined)));
};

const xss = {
  count: payloads.length,
  audit,

  /** The audit can fail: a formula box holding MathML the renderer never makes (a link, an maction) is reported. */
  auditSelfTest() {
    const box = document.createElement('span');
    box.className = 'math';
    box.setAttribute('part', 'math');
    const math = document.createElementNS(MATHML_NS, 'math');
    const action = document.createElementNS(MATHML_NS, 'maction');
    const mi = document.createElementNS(MATHML_NS, 'mi');
    mi.setAttribute('href', 'https://attacker.example/');
    math.append(action, mi);
    box.append(math);
    const stray = document.createElementNS(MATHML_NS, 'math');
    el.shadowRoot!.append(box, stray);
    const result = audit().problems;
    box.remove();
    stray.remove();
    return result;
  },

  /** One agent that answers alone (attention 'none': one call, streamed as the answer). */
  single() {
    el.removeAttribute('layers');
    el.setAttribute('attention', 'none');
    el.aggregator = undefined;
    el.agents = [{ name: 'Echo', engine: scriptedOutput('Echo', script) }];
    return true;
  },

  /**
   * Payloads [from, to): each asked as the question, and streamed back as the model's answer cut by `split`.
   * A question the protocol refuses (control characters) is asked plainly instead, with the payload as the answer.
   */
  async deliver(from: number, to: number, split: Split) {
    el.reset();
    script.split = split;
    const outcomes: string[] = [];
    for (const { payload } of payloads.slice(from, to)) {
      script.text = () => payload;
      let outcome = await el.ask(payload).then((r) => (r ? 'done' : 'stopped'), (e: Error & { code?: string }) => e.code ?? e.name);
      if (outcome === 'invalid-question') outcome = await el.ask('Show it').then((r) => (r ? 'done*' : 'stopped'), (e: Error & { code?: string }) => e.code ?? e.name);
      outcomes.push(outcome);
    }
    await settled();
    return { outcomes, ...audit() };
  },

  /** Three agents, full attention: proposals, critiques, refinements and the aggregate all carry payloads;
   *  the details, every agent's critiques and every attention-map cell are opened so all of it is rendered. */
  async batch(from: number, to: number, split: Split) {
    el.reset();
    const slice = payloads.slice(from, to).map((p) => p.payload);
    const pick = (k: number) => slice[k % slice.length]!;
    let n = 0;
    script.split = split;
    script.text = (role) => (role === 'aggregate' ? slice.join('\n\n') : pick(n++));
    el.setAttribute('attention', 'full');
    el.setAttribute('layers', '1');
    el.agents = ['Ada', 'Ben', 'Cy'].map((name) => ({ name, engine: scriptedOutput(name, script) }));
    el.aggregator = { name: 'Aggregator', engine: scriptedOutput('Aggregator', script) };
    const outcome = await el.ask(`Batch ${from}-${to}`).then((r) => (r ? 'done' : 'stopped'), (e: Error & { code?: string }) => e.code ?? e.name);
    await settled();
    const root = el.shadowRoot!;
    const tick = async () => {
      await new Promise((r) => setTimeout(r, 30)); // the toggle event is a task of its own
      await el.updateComplete;
    };
    root.querySelector<HTMLElement>('details[part=details] summary')?.click();
    await tick();
    for (const d of root.querySelectorAll<HTMLDetailsElement>('details')) d.open = true;
    await tick();
    const cells = [...root.querySelectorAll<HTMLButtonElement>('[part=attention-map] button')];
    for (const cell of cells) {
      cell.click();
      await tick();
      const result = audit();
      if (result.problems.length || result.hits.length) return { outcome, cells: cells.length, ...result };
    }
    await new Promise((r) => requestAnimationFrame(() => r(undefined)));
    return { outcome, cells: cells.length, ...audit() };
  },
};

declare global {
  interface Window {
    xss: typeof xss;
  }
}
window.xss = xss;
// The element loads its run code (protocol, Markdown renderer) on first use, and the highlighter and the math
// renderer when an answer first needs them: fetch them all now, before the spec starts counting requests.
await el.load();
await Promise.all([loadHighlighter(), loadMathRenderer()]);
document.body.dataset.ready = 'true';
