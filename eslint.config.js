// Lint: ESLint's recommended rules plus typescript-eslint's, strict about `any` in the
// product code; tests and benchmarks may use `any` for payloads they inspect.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const STATE_COLUMNS = 'status|priority|priority_floor|priority_reason|assignee_id|team_id|waiting_since|first_response_at|snoozed_until|resolved_at|first_response_due_at|next_response_due_at|resolution_due_at|sla_policy_id|acknowledged_at|escalation_level|escalated_at';
const STATE_FIELDS = 'status|priority|priorityFloor|priorityReason|assigneeId|teamId|waitingSince|firstResponseAt|snoozedUntil|resolvedAt|firstResponseDueAt|nextResponseDueAt|resolutionDueAt|slaPolicyId|acknowledgedAt|escalationLevel|escalatedAt';

/** SQL and Prisma calls that would write a conversation's state. */
function conversationStateWrites(message) {
  const sql = `/(INSERT\\s+INTO\\s+conversations\\b|UPDATE\\s+conversations\\b[^;]*\\bSET\\b((?!\\bWHERE\\b)[^;])*\\b(${STATE_COLUMNS})\\s*=[^=])/i`;
  const prisma = "CallExpression[callee.object.property.name='conversation']";
  return [
    { selector: `TemplateElement[value.raw=${sql}]`, message },
    { selector: `Literal[value=${sql}]`, message },
    { selector: `${prisma}[callee.property.name=/^(create|createMany|upsert)$/]`, message },
    { selector: `${prisma}[callee.property.name=/^update(Many)?$/] Property[key.name=/^(${STATE_FIELDS})$/]`, message },
  ];
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'web/dist/', 'src/generated/', '.data/', 'test-results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'smart'],
    },
  },
  { files: ['web/src/**', 'web/widget/**'], languageOptions: { globals: { ...globals.browser } } },
  {
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'no-console': 'off' },
  },
  // The channel contract (docs/ARCHITECTURE.md, "Channels"): a connector reaches the inbox only
  // through src/inbox/channels/contract.ts, and nothing but src/app.ts (which wires them in)
  // imports a connector.
  {
    files: ['src/connectors/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: '(^|/)inbox/(?!channels/contract(\\.[jt]s)?$)',
          message: 'A connector reaches the inbox only through src/inbox/channels/contract.ts (add a port there).',
        }],
      }],
    },
  },
  {
    files: ['src/**', 'web/**'],
    ignores: ['src/connectors/**', 'src/app.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '(^|/)connectors(/|$)', message: 'Only src/app.ts wires connectors in; the inbox knows them through src/inbox/channels/contract.ts.' }],
      }],
    },
  },
  // One writer of a conversation's state (docs/ARCHITECTURE.md, "A conversation's state"):
  // status, priority, assignment, waiting and due times are set only by
  // src/inbox/conversations/state/write.ts.
  {
    files: ['src/**'],
    ignores: ['src/inbox/conversations/state/write.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...conversationStateWrites('Write a conversation\'s state through src/inbox/conversations/state/write.ts.')],
    },
  },
  // Command-line programs talk to a person on the terminal.
  { files: ['src/main.ts', 'src/**/*-cli.ts'], rules: { 'no-console': 'off' } },
);
