import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  // Vue renders <attention-moa> as a custom element (not a Vue component).
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag === 'attention-moa' } } })],
  // ES-module workers: each agent worker loads only its own engine's chunk.
  worker: { format: 'es' },
});
