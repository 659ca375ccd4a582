#!/usr/bin/env node
// Runs one of the eval's TypeScript entry points (`node eval/launch.mjs eval/cli.ts --limit 20`) with the project's
// own Vite: one dev server both compiles the entry for Node (ssrLoadModule) and serves the eval page, the packages'
// sources and the model files to Chromium. No extra dependency (no tsx/ts-node), the same aliases as the tests.
import { createServer } from 'vite';
import { fileURLToPath } from 'node:url';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node eval/launch.mjs <entry.ts> [args…]   (npm run eval -- --help)');
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env.EVAL_PORT ?? 4391);
const server = await createServer({
  root,
  configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
  logLevel: 'warn',
  // No HMR and no file watching: editing sources during a long run must not reload the page mid-run.
  server: { port, strictPort: true, host: '127.0.0.1', hmr: false, watch: null },
});
let code = 0;
try {
  await server.listen();
  const mod = await server.ssrLoadModule(`/${entry.replace(/^\.?\//, '')}`);
  code = (await mod.main(args, { baseUrl: `http://127.0.0.1:${port}`, root })) ?? 0;
} catch (error) {
  // Bad input is reported by the entry itself as an Error with a message that names the fix; no stack for those.
  console.error(error?.userFacing ? `error: ${error.message}` : error);
  code = 1;
} finally {
  await server.close();
}
process.exit(code);
