import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  // ES-module workers: each agent worker loads only its own engine's chunk.
  worker: { format: 'es' },
});
