// Who of the team an address belongs to: a colleague answering in a provider's own app (Slack)
// is an agent replying, not a customer writing.
import type { Database } from '../../platform/db/client';
import type { AgentLookup } from '../channels/contract';

export class AgentDirectory implements AgentLookup {
  constructor(private readonly db: Database) {}

  async byEmail(email: string): Promise<{ id: string } | null> {
    return this.db.prisma.agent.findUnique({ where: { email: email.toLowerCase() }, select: { id: true } });
  }
}
