// Where attachment bytes live. The port lets a deployment put them in object storage; the
// default keeps them on local disk under DATA_DIR. Keys are content hashes, so the same logo
// in a thousand mails is stored once and a retried fetch never writes a second copy.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { AttachmentStore } from '../channels/contract';

export type { AttachmentStore } from '../channels/contract';

const KEY = /^sha256\/[0-9a-f]{2}\/[0-9a-f]{64}$/;

export class LocalDiskAttachmentStore implements AttachmentStore {
  constructor(private readonly root: string) {}

  async put(bytes: Buffer): Promise<string> {
    const hash = crypto.createHash('sha256').update(bytes).digest('hex');
    const key = `sha256/${hash.slice(0, 2)}/${hash}`;
    const file = path.join(this.root, key);
    if (fs.existsSync(file)) return key;
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    // Written aside then renamed: a crash never leaves half a file under a valid key.
    const tmp = `${file}.${process.pid}.${crypto.randomUUID()}.tmp`;
    await fs.promises.writeFile(tmp, bytes);
    await fs.promises.rename(tmp, file);
    return key;
  }

  async open(key: string): Promise<Readable | null> {
    if (!KEY.test(key)) return null;
    const file = path.join(this.root, key);
    try {
      await fs.promises.access(file, fs.constants.R_OK);
    } catch {
      return null;
    }
    return fs.createReadStream(file);
  }

  async remove(key: string): Promise<void> {
    if (!KEY.test(key)) return;
    await fs.promises.rm(path.join(this.root, key), { force: true });
  }
}
