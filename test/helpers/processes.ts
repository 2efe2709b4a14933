// Runs the product as real separate processes (web, worker), the way production does.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface RoleProcess {
  proc: ChildProcess;
  output: string[];
  url: string | null;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function spawnRole(role: 'all' | 'web' | 'worker', env: Record<string, string>, timeoutMs = 30_000): Promise<RoleProcess> {
  // One process (no tsx launcher in between), so a SIGKILL really kills the worker.
  const proc = spawn(process.execPath, ['--import', 'tsx', ...(process.env.ROLE_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), '--no-warnings', 'src/main.ts', role], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', DEMO_DATA: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const started = new Promise<string | null>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role} did not start within ${timeoutMs} ms:\n${output.join('')}`)), timeoutMs);
    const onLine = (chunk: Buffer) => {
      const text = chunk.toString();
      output.push(text);
      for (const line of text.split('\n')) {
        if (!line.includes('"inbox started"')) continue;
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string | null }).url);
      }
    };
    proc.stdout!.on('data', onLine);
    proc.stderr!.on('data', (c: Buffer) => output.push(c.toString()));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${role} exited with ${code} before starting:\n${output.join('')}`));
    });
  });
  const url = await started;
  return {
    proc,
    output,
    url,
    kill: async (signal = 'SIGTERM') => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill(signal);
      await exited;
    },
  };
}
