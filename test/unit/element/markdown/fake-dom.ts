/**
 * A minimal Document for unit tests of the DOM builders: records exactly what they create (elements with their
 * namespace, attributes and class, text nodes). It has no innerHTML, no style and no event API: a builder that
 * reached for one would fail here.
 */
export class FakeNode {
  readonly children: FakeNode[] = [];
  constructor(
    readonly kind: 'element' | 'text' | 'fragment',
    readonly name = '',
    readonly namespace: string | null = null,
    public text = '',
  ) {}
  readonly attributes = new Map<string, string>();
  className = '';
  append(...nodes: FakeNode[]): void {
    for (const node of nodes) {
      if (node.kind === 'fragment') this.children.push(...node.children.splice(0));
      else this.children.push(node);
    }
  }
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, String(value));
  }
  get textContent(): string {
    return this.kind === 'text' ? this.text : this.children.map((c) => c.textContent).join('');
  }
  /** Elements below (and including) this one, depth first. */
  elements(): FakeNode[] {
    return [...(this.kind === 'element' ? [this] : []), ...this.children.flatMap((c) => c.elements())];
  }
}

export const fakeDocument = {
  createElement: (name: string) => new FakeNode('element', name, 'http://www.w3.org/1999/xhtml'),
  createElementNS: (ns: string, name: string) => new FakeNode('element', name, ns),
  createTextNode: (text: string) => new FakeNode('text', '', null, text),
  createDocumentFragment: () => new FakeNode('fragment'),
} as unknown as Document & { createElement(name: string): FakeNode };

export const asFake = (node: unknown) => node as FakeNode;
