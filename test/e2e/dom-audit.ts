/**
 * A DOM audit for hostile text (issue 9), run in the page with `page.evaluate(auditDom, options)`: walks the
 * document and every open shadow root and reports on* attributes, script-bearing URLs (javascript:, vbscript:,
 * data: other than images: an image never runs script), and elements that text must never create inside the given containers.
 * Self-contained (no imports, no closures): Playwright sends its source to the page.
 */
export interface AuditOptions {
  /** CSS selectors (in the document or in shadow roots) whose subtree holds rendered user/model text. */
  textContainers: string[];
}

export function auditDom(options: AuditOptions): string[] {
  const problems: string[] = [];
  const forbidden = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'img', 'image', 'svg', 'math', 'style', 'link', 'meta',
    'base', 'video', 'audio', 'source', 'track', 'picture', 'marquee', 'isindex', 'keygen', 'xml', 'animate', 'set', 'foreignobject', 'use', 'bgsound',
    'template', 'noscript', 'portal', 'form', 'input', 'textarea', 'select', 'button', 'annotation-xml', 'maction']);
  // The element's formulas: MathML it builds from KaTeX's output through an allowlist (never from text).
  const mathTags = new Set(['math', 'semantics', 'annotation', 'mrow', 'mi', 'mn', 'mo', 'ms', 'mtext', 'mspace', 'msup', 'msub', 'msubsup', 'mfrac', 'msqrt',
    'mroot', 'mover', 'munder', 'munderover', 'mmultiscripts', 'mprescripts', 'none', 'mtable', 'mtr', 'mtd', 'mlabeledtr', 'mstyle', 'mpadded', 'mphantom', 'menclose', 'merror']);
  const mathAttributes = new Set(['display', 'mathvariant', 'displaystyle', 'stretchy', 'fence', 'separator', 'accent', 'accentunder', 'largeop', 'movablelimits',
    'symmetric', 'scriptlevel', 'lspace', 'rspace', 'width', 'height', 'depth', 'voffset', 'minsize', 'maxsize', 'linethickness', 'mathsize', 'columnspacing',
    'rowspacing', 'columnalign', 'rowalign', 'columnlines', 'rowlines', 'notation', 'linebreak', 'mathcolor', 'mathbackground', 'encoding']);
  const ownMath = (e: Element) => e.localName === 'math' && !!e.parentElement?.classList.contains('math') && e.parentElement.getAttribute('part') === 'math';
  const scriptUrl = /^(?:javascript|vbscript|livescript):|^data:(?!image\/)/i;
  const visit = (root: Document | ShadowRoot, where: string) => {
    for (const node of root.querySelectorAll('*')) {
      for (const attr of node.attributes) {
        if (/^on/i.test(attr.name)) problems.push(`${where}: <${node.localName} ${attr.name}>`);
        const value = attr.value.replace(/[\u0000-\u0020\u007f-\u00a0]+/g, '');
        if (!attr.name.startsWith('data-') && scriptUrl.test(value)) problems.push(`${where}: <${node.localName} ${attr.name}="${attr.value.slice(0, 60)}">`);
      }
      if (node.shadowRoot) visit(node.shadowRoot, `${where} > ${node.localName}`);
    }
    for (const selector of options.textContainers) {
      for (const container of root.querySelectorAll(selector)) {
        for (const inner of container.querySelectorAll('*')) {
          // Copy buttons of code blocks are the renderer's own controls.
          if (forbidden.has(inner.localName) && !(inner.localName === 'button' && inner.closest('pre, .code, .code-block')) && !ownMath(inner)) {
            problems.push(`${where} ${selector}: <${inner.localName}> from text`);
          }
          if (inner.closest('math')) {
            if (!mathTags.has(inner.localName)) problems.push(`${where} ${selector}: <${inner.localName}> inside <math>`);
            for (const attr of inner.attributes) {
              if (!mathAttributes.has(attr.name) || !/^[\w#.%+\- /]*$/.test(attr.value)) problems.push(`${where} ${selector}: <${inner.localName} ${attr.name}> inside <math>`);
            }
          }
        }
      }
    }
  };
  visit(document, 'document');
  return problems;
}
