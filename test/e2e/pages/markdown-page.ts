// Mounts the element's StreamingMarkdown renderer on a plain div, for DOM-level tests of the renderer.
import { StreamingMarkdown } from '../../../packages/element/src/markdown/streaming-markdown';

const out = document.getElementById('out')!;
const copied: string[] = [];
const md = new StreamingMarkdown(out, { copy: async (text) => void copied.push(text) });
const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

const mdTest = { md, out, copied, nextFrame };
declare global {
  interface Window {
    mdTest: typeof mdTest;
  }
}
window.mdTest = mdTest;
document.body.dataset.ready = 'true';
