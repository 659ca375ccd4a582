import { useEffect, useRef, useState } from 'react';
import '@attention-moa/element'; // defines <attention-moa>
import { createPoolLoader, wasmCatalogModel, type AttentionMoAElement } from '@attention-moa/element';

// ?gguf=<origin> runs two GGUF files from that origin instead of the catalog models (the repository's test does).
const gguf = new URLSearchParams(location.search).get('gguf');
const models = gguf ? 'tiny-agent-a.gguf, tiny-agent-b.gguf' : 'smollm2-135m-instruct-q8_0, qwen2.5-0.5b-instruct-q4_k_m';
// GGUF models run on the CPU by llama.cpp in WebAssembly, each in its own worker: no GPU needed.
const loader = createPoolLoader({ spec: (id) => ({ kind: 'wllama', model: gguf ? `${gguf}/${id}` : wasmCatalogModel(id).url }) });

export function App() {
  const ref = useRef<AttentionMoAElement>(null);
  const [answers, setAnswers] = useState(0);

  useEffect(() => {
    const el = ref.current!;
    // Properties that are objects or functions are set on the element itself; strings go in as attributes.
    el.loader = loader;
    const onDone = () => setAnswers((n) => n + 1);
    el.addEventListener('moa-done', onDone);
    return () => el.removeEventListener('moa-done', onDone);
  }, []);

  return (
    <main style={{ maxWidth: '60rem', margin: '0 auto', fontFamily: 'system-ui, sans-serif' }}>
      <h1>Ask two small models at once</h1>
      <attention-moa ref={ref} models={models} layers={1} placeholder="Ask anything…" />
      <p id="answers">{answers} answered</p>
    </main>
  );
}
