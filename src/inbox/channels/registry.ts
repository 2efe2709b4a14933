// The one registry of channels, keyed by channel kind. Connectors add themselves in
// src/connectors/index.ts, src/app.ts registers them; everything else asks the registry.
import type { ChannelKind } from '../../platform/db/client';
import type { Connector } from './contract';

export class ConnectorRegistry {
  private readonly byKind = new Map<ChannelKind, Connector>();

  register(connector: Connector): this {
    if (this.byKind.has(connector.kind)) throw new Error(`a connector for ${connector.kind} is already registered`);
    this.byKind.set(connector.kind, connector);
    return this;
  }

  find(kind: ChannelKind): Connector | undefined {
    return this.byKind.get(kind);
  }

  get(kind: ChannelKind): Connector {
    const c = this.byKind.get(kind);
    if (!c) throw new Error(`no connector is installed for channel "${kind}"`);
    return c;
  }

  all(): Connector[] {
    return [...this.byKind.values()];
  }
}
