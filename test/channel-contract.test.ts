// The channel contract holds in both directions: the project's own lint configuration refuses
// a connector importing the inbox other than through the contract, and the inbox (or any
// module but src/app.ts) importing a connector.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function restricted(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the channel contract', () => {
  it('lets a connector import the contract and the platform, and nothing else of the inbox', async () => {
    expect(await restricted('src/connectors/sms/example.ts', "import type { Connector } from '../../inbox/channels/contract';\nexport type X = Connector;\n")).toEqual([]);
    expect(await restricted('src/connectors/sms/example.ts', "import type { Logger } from '../../platform/logger';\nexport type X = Logger;\n")).toEqual([]);
    for (const bad of ['../../inbox/pipeline/intake', '../../inbox/channels/registry', '../../inbox/contacts/identity', '../../inbox/channels/contract-extras']) {
      expect(await restricted('src/connectors/sms/example.ts', `import { x } from '${bad}';\nexport const y = x;\n`), bad).toEqual([expect.stringMatching(/only through src\/inbox\/channels\/contract\.ts/)]);
    }
  });

  it('refuses a connector imported by the inbox, the platform or the web app; src/app.ts wires them in', async () => {
    for (const file of ['src/inbox/outbound/example.ts', 'src/platform/example.ts', 'src/routing/example.ts', 'src/web-server.ts']) {
      const depth = file.split('/').length - 2;
      const up = depth ? '../'.repeat(depth) : './';
      expect(await restricted(file, `import { x } from '${up}connectors/sms/twilio';\nexport const y = x;\n`), file).toEqual([expect.stringMatching(/Only src\/app\.ts wires connectors in/)]);
      expect(await restricted(file, `import { x } from '${up}connectors';\nexport const y = x;\n`), file).toHaveLength(1);
    }
    expect(await restricted('src/app.ts', "import { installedConnectors } from './connectors';\nexport const y = installedConnectors;\n")).toEqual([]);
  });
});
