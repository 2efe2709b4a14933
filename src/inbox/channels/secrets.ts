// Inbox secrets are stored by reference (`env:VAR_NAME`), never in the database.
import type { Inbox } from '../../platform/db/client';
import type { SecretResolver } from './contract';

export class EnvSecretResolver implements SecretResolver {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  get(inbox: Inbox, name: string): string {
    const refs = (inbox.secretRefs ?? {}) as Record<string, unknown>;
    const ref = refs[name];
    if (typeof ref !== 'string') throw new Error(`inbox "${inbox.name}" has no ${name} configured`);
    const m = /^env:([A-Za-z_][A-Za-z0-9_]*)$/.exec(ref);
    if (!m) throw new Error(`inbox "${inbox.name}": secret ${name} must be a reference like env:VARIABLE_NAME`);
    const value = this.env[m[1]!];
    if (!value) throw new Error(`inbox "${inbox.name}": environment variable ${m[1]} (its ${name}) is not set`);
    return value;
  }
}
