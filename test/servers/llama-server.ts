/**
 * llama.cpp's OpenAI-compatible server (from the PyPI package llama-cpp-python[server], installed by
 * scripts/install-llama-server.sh) started on 127.0.0.1 for a test, serving a real GGUF model. `unavailable()` says
 * why it cannot run here (not installed, no model), for a skip that names the fix.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const LLAMA_SERVER_VERSION = '0.3.36';

export function llamaServerVenv(): string {
  return process.env.LLAMA_SERVER_VENV ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'attention-moa', `llama-server-${LLAMA_SERVER_VERSION}`);
}

/** Why the server cannot be started here (not installed; `model` given and missing), or undefined when it can. */
export function unavailable(model?: string): string | undefined {
  const python = join(llamaServerVenv(), 'bin', 'python');
  if (!existsSync(python)) {
    return `llama.cpp's server (llama-cpp-python ${LLAMA_SERVER_VERSION}) is not installed at ${llamaServerVenv()}: run scripts/install-llama-server.sh (a one-time C++ build of tens of minutes on 2 cores; .ci/run does it)`;
  }
  if (model !== undefined && !existsSync(model)) return `the model ${model} is missing: run npm run models`;
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface LlamaServer {
  /** The API root, `http://127.0.0.1:<port>/v1`. */
  baseURL: string;
  /** What the server printed (for a failure's message). */
  log(): string;
  close(): Promise<void>;
}

/** Starts the server and resolves once GET /v1/models answers (the model is loaded). */
export async function startLlamaServer(options: { model: string; alias: string; contextSize?: number; startTimeoutMs?: number }): Promise<LlamaServer> {
  const port = await freePort();
  const python = join(llamaServerVenv(), 'bin', 'python');
  let output = '';
  const child: ChildProcess = spawn(
    python,
    ['-m', 'llama_cpp.server', '--model', options.model, '--model_alias', options.alias, '--host', '127.0.0.1', '--port', String(port), '--n_ctx', String(options.contextSize ?? 2048), '--n_threads', '1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (d: Buffer) => void (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => void (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const baseURL = `http://127.0.0.1:${port}/v1`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`llama.cpp's server exited with code ${child.exitCode} before it was ready:\n${output.slice(-2000)}`);
    try {
      const response = await fetch(`${baseURL}/models`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`llama.cpp's server was not ready within ${options.startTimeoutMs ?? 90_000} ms:\n${output.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    baseURL,
    log: () => output,
    close: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
