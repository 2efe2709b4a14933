// A real Redis for the BullMQ and socket.io adapter tests: loopback only, no persistence.
import { spawn, type ChildProcess } from 'node:child_process';
import { ensureDebianPackage } from './debian';
import { canConnect, freePort } from '../helpers/ports';

export async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  ensureDebianPackage('redis-server', 'redis-server', 'queues and realtime scale-out run on Redis');
  const port = await freePort();
  const proc: ChildProcess = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    if (await canConnect(port)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!(await canConnect(port))) throw new Error('redis-server did not start');
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
    },
  };
}

