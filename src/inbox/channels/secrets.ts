// Inbox secrets are stored by reference (`env:VAR_NAME`), never in the database. A secret
// that is not there is a set-up problem retrying will not mend: a send fails at once, saying which.
import type { Inbox } from '../../platform/db/client';
import { PermanentJobError } from '../../platform/queue';
import type { SecretResolver } from './contract';

export class EnvSecretResolver implements SecretResolver {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  get(inbox: Inbox, name: string): string {
    const refs = (inbox.secretRefs ?? {}) as Record<string, unknown>;
    const ref = refs[name];
    if (typeof ref !== 'string') throw new PermanentJobError(`inbox "${inbox.name}" has no ${name} configured`);
    const m = /^env:([A-Za-z_][A-Za-z0-9_]*)$/.exec(ref);
    if (!m) throw new PermanentJobError(`inbox "${inbox.name}": secret ${name} must be a reference like env:VARIABLE_NAME`);
    const value = this.env[m[1]!];
    if (!value) throw new PermanentJobError(`inbox "${inbox.name}": environment variable ${m[1]} (its ${name}) is not set`);
    return value;
  }
}
