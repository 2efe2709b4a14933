// The end of a bench's own PostgreSQL: stopped and its data removed, or, with BENCH_KEEP_DB=1,
// left running on its data to look at with psql (or measure again) afterwards.
import fs from 'node:fs';

export async function endBenchDatabase(db: { url: string; stop(): Promise<void> }, dir: string, log: (...a: unknown[]) => void, again = ''): Promise<void> {
  if (process.env.BENCH_KEEP_DB) {
    log(`database kept: ${db.url} (data in ${dir})${again}`);
    return;
  }
  await db.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
