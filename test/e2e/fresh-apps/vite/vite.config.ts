import { defineConfig } from 'vite';

export default defineConfig({
  // The one line the README asks for: ES-module workers, so each agent worker loads only its own engine's chunk.
  worker: { format: 'es' },
});
