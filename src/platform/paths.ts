// Where the installation's files are. Found upward from this module to the package.json, so
// the same code reads them when run from src/ (tsx, tests) and from the bundle in dist/
// (`npm run build`, production).
import fs from 'node:fs';
import path from 'node:path';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'prisma'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`the inbox's files (package.json, prisma/) were not found above ${from}`);
  }
}

export const APP_ROOT = findRoot(import.meta.dirname);
/** Files the running product reads, by what they are. */
export const APP_FILES = {
  migrations: path.join(APP_ROOT, 'prisma', 'migrations'),
  models: path.join(APP_ROOT, 'src', 'sentiment', 'models'),
  webDist: path.join(APP_ROOT, 'web', 'dist'),
};
