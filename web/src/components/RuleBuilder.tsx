// A routing rule as a form: when (the event), if (every condition holds), then (the actions).
// The server validates it (src/routing/rules.ts) and its reasons show as they are; the rule's
// JSON is kept as an advanced view, to read what the form will send or to paste a rule.
import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import type { Condition, RuleAction, RuleEvent, RuleField, RuleInput } from '../../../src/routing/rules';
import { t } from '../lib/text';

type Op = Condition['op'];
type ActionType = RuleAction['type'];

const EVENTS = ['message.created', 'conversation.created', 'conversation.updated', 'sla.warning', 'sla.breach', 'risk.rising'] as const satisfies readonly RuleEvent[];
const FIELDS = [
  'sentiment', 'sentimentScore', 'complaintCategory', 'risk', 'priority', 'channel', 'language', 'text', 'tier', 'customerValue', 'labels',
  'conversationType', 'status', 'assigned', 'teamId', 'inboxId', 'businessHours', 'automated', 'repeatContact', 'sentimentSlope', 'attribute',
] as const satisfies readonly RuleField[];
const NUMERIC = new Set<RuleField>(['priority', 'sentimentScore', 'sentimentSlope', 'risk', 'customerValue']);
const YES_NO = new Set<RuleField>(['assigned', 'businessHours', 'automated', 'repeatContact']);
const OPS = ['eq', 'neq', 'in', 'gt', 'gte', 'lt', 'lte', 'contains', 'containsAny'] as const satisfies readonly Op[];
const ACTIONS = ['acknowledge', 'assign', 'set_priority', 'add_label', 'escalate', 'notify', 'snooze', 'resolve'] as const satisfies readonly ActionType[];

interface ConditionRow { field: RuleField; op: Op; value: string; key?: string }
interface ActionRow { type: ActionType; value: string }

/** The value the API expects for what was typed: numbers, yes/no, or a list for "in" / "contains any". */
export function conditionValue(c: ConditionRow): Condition['value'] {
  if (c.op === 'in' || c.op === 'containsAny') {
    const items = c.value.split(',').map((s) => s.trim()).filter(Boolean);
    return NUMERIC.has(c.field) ? items.map(Number) : items;
  }
  if (YES_NO.has(c.field)) return c.value === 'true';
  if (NUMERIC.has(c.field)) return Number(c.value);
  // A number attribute compared by size.
  if (c.field === 'attribute' && ['gt', 'gte', 'lt', 'lte'].includes(c.op)) return Number(c.value);
  return c.value;
}

function actionBody(a: ActionRow): RuleAction {
  switch (a.type) {
    case 'assign':
      return { type: 'assign', strategy: a.value === 'round_robin' ? 'round_robin' : 'balanced' };
    case 'set_priority':
      return { type: 'set_priority', atLeast: Number(a.value) };
    case 'add_label':
      return { type: 'add_label', label: a.value };
    case 'escalate':
      return a.value ? { type: 'escalate', reason: a.value } : { type: 'escalate' };
    case 'notify':
      return a.value ? { type: 'notify', channel: 'in_app', text: a.value } : { type: 'notify', channel: 'in_app' };
    case 'snooze':
      return { type: 'snooze', minutes: Number(a.value) };
    default:
      return { type: a.type };
  }
}

/** What an action asks for beside its type (none for acknowledge and resolve). */
function ActionValue({ row, onChange, index }: { row: ActionRow; onChange: (value: string) => void; index: number }) {
  const label = t.rules.actionValue(row.type, index + 1);
  switch (row.type) {
    case 'assign':
      return (
        <select aria-label={label} value={row.value || 'balanced'} onChange={(e) => onChange(e.target.value)}>
          <option value="balanced">{t.rules.balanced}</option>
          <option value="round_robin">{t.rules.roundRobin}</option>
        </select>
      );
    case 'set_priority':
    case 'snooze':
      return <input aria-label={label} type="number" min={row.type === 'snooze' ? 1 : 0} max={row.type === 'snooze' ? 525_600 : 100} required value={row.value} onChange={(e) => onChange(e.target.value)} />;
    case 'add_label':
      return <input aria-label={label} required maxLength={50} value={row.value} onChange={(e) => onChange(e.target.value)} />;
    case 'escalate':
    case 'notify':
      return <input aria-label={label} maxLength={row.type === 'notify' ? 1000 : 200} value={row.value} onChange={(e) => onChange(e.target.value)} />;
    default:
      return null;
  }
}

export function RuleBuilder({ onSave }: { onSave: (rule: RuleInput) => Promise<unknown> }) {
  const [name, setName] = useState('');
  const [event, setEvent] = useState<RuleEvent>('message.created');
  const [attributeKeys, setAttributeKeys] = useState<string[]>([]);
  useEffect(() => void api<{ data: Array<{ key: string }> }>('/contact-attributes').then((r) => setAttributeKeys(r.data.map((a) => a.key)), () => {}), []);
  const [position, setPosition] = useState('100');
  const [conditions, setConditions] = useState<ConditionRow[]>([{ field: 'sentiment', op: 'eq', value: 'negative' }]);
  const [actions, setActions] = useState<ActionRow[]>([{ type: 'set_priority', value: '70' }]);
  const [json, setJson] = useState('');
  const [jsonError, setJsonError] = useState<string | null>(null);

  const rule: RuleInput = {
    name: name.trim(),
    event,
    position: Number(position),
    conditions: conditions.map((c) => ({ field: c.field, ...(c.field === 'attribute' ? { key: c.key ?? '' } : {}), op: c.op, value: conditionValue(c) })),
    actions: actions.map(actionBody),
  };
  const reset = () => {
    setName('');
    setConditions([]);
    setActions([{ type: 'acknowledge', value: '' }]);
  };
  const setCondition = (i: number, patch: Partial<ConditionRow>) => setConditions((all) => all.map((c, n) => (n === i ? { ...c, ...patch } : c)));
  const setAction = (i: number, patch: Partial<ActionRow>) => setActions((all) => all.map((a, n) => (n === i ? { ...a, ...patch } : a)));

  return (
    <div className="rule-builder">
      <form
        aria-label={t.rules.newRule}
        onSubmit={(e) => {
          e.preventDefault();
          void onSave(rule).then(reset, () => {});
        }}
      >
        <fieldset>
          <legend>{t.rules.newRule}</legend>
          <label>
            {t.rules.name} <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label>
            {t.rules.when}{' '}
            <select value={event} onChange={(e) => setEvent(e.target.value as RuleEvent)}>
              {EVENTS.map((x) => (
                <option key={x} value={x}>
                  {t.rules.events[x]}
                </option>
              ))}
            </select>
          </label>
          <p className="rule-part">{t.rules.if}</p>
          <datalist id="rule-attribute-keys">
            {attributeKeys.map((k) => <option key={k} value={k} />)}
          </datalist>
          {conditions.length === 0 && <p className="hint">{t.rules.always}</p>}
          {conditions.map((c, i) => (
            <div key={i} className="rule-row" role="group" aria-label={t.rules.condition(i + 1)}>
              <select aria-label={t.rules.field(i + 1)} value={c.field} onChange={(e) => setCondition(i, { field: e.target.value as RuleField })}>
                {FIELDS.map((f) => (
                  <option key={f} value={f}>
                    {t.rules.fields[f]}
                  </option>
                ))}
              </select>
              {c.field === 'attribute' && (
                <input aria-label={t.rules.attributeKey(i + 1)} value={c.key ?? ''} placeholder="plan" list="rule-attribute-keys" onChange={(e) => setCondition(i, { key: e.target.value })} />
              )}
              <select aria-label={t.rules.op(i + 1)} value={c.op} onChange={(e) => setCondition(i, { op: e.target.value as Op })}>
                {OPS.map((o) => (
                  <option key={o} value={o}>
                    {t.rules.ops[o]}
                  </option>
                ))}
              </select>
              {YES_NO.has(c.field) && c.op !== 'in' ? (
                <select aria-label={t.rules.value(i + 1)} value={c.value === 'true' ? 'true' : 'false'} onChange={(e) => setCondition(i, { value: e.target.value })}>
                  <option value="true">{t.rules.yes}</option>
                  <option value="false">{t.rules.no}</option>
                </select>
              ) : (
                <input aria-label={t.rules.value(i + 1)} value={c.value} placeholder={c.op === 'in' || c.op === 'containsAny' ? t.rules.list : ''} onChange={(e) => setCondition(i, { value: e.target.value })} />
              )}
              <button type="button" aria-label={t.rules.removeCondition(i + 1)} onClick={() => setConditions((all) => all.filter((_, n) => n !== i))}>
                ×
              </button>
            </div>
          ))}
          <button type="button" onClick={() => setConditions((all) => [...all, { field: 'complaintCategory', op: 'eq', value: '' }])}>
            {t.rules.addCondition}
          </button>
          <p className="rule-part">{t.rules.then}</p>
          {actions.map((a, i) => (
            <div key={i} className="rule-row" role="group" aria-label={t.rules.action(i + 1)}>
              <select aria-label={t.rules.actionType(i + 1)} value={a.type} onChange={(e) => setAction(i, { type: e.target.value as ActionType, value: '' })}>
                {ACTIONS.map((x) => (
                  <option key={x} value={x}>
                    {t.rules.actions[x]}
                  </option>
                ))}
              </select>
              <ActionValue row={a} index={i} onChange={(value) => setAction(i, { value })} />
              {actions.length > 1 && (
                <button type="button" aria-label={t.rules.removeAction(i + 1)} onClick={() => setActions((all) => all.filter((_, n) => n !== i))}>
                  ×
                </button>
              )}
            </div>
          ))}
          <button type="button" disabled={actions.length >= 10} onClick={() => setActions((all) => [...all, { type: 'add_label', value: '' }])}>
            {t.rules.addAction}
          </button>
          <label>
            {t.rules.position} <input type="number" min={0} max={100_000} value={position} onChange={(e) => setPosition(e.target.value)} />
          </label>
          <button type="submit">{t.rules.save}</button>
        </fieldset>
      </form>
      <details>
        <summary>{t.rules.advanced}</summary>
        <pre className="code" aria-label={t.rules.preview}>{JSON.stringify(rule, null, 2)}</pre>
        <form
          aria-label={t.rules.fromJson}
          onSubmit={(e) => {
            e.preventDefault();
            let parsed: RuleInput;
            try {
              parsed = JSON.parse(json) as RuleInput;
            } catch {
              setJsonError(t.settings.ruleNotJson);
              return;
            }
            setJsonError(null);
            void onSave(parsed).then(() => setJson(''), () => {});
          }}
        >
          <textarea aria-label={t.rules.json} rows={4} required placeholder={t.settings.ruleExample} className="code" value={json} onChange={(e) => setJson(e.target.value)} />
          {jsonError && <p role="alert" className="error">{jsonError}</p>}
          <button type="submit">{t.settings.add}</button>
        </form>
      </details>
    </div>
  );
}
