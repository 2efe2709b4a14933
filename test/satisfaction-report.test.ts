// The satisfaction and recovery report against a direct computation over the rows: surveys with
// ratings (and some unanswered) across agents, teams, channels and complaint types, complaint
// cases at every stage, remedies in two currencies. Every figure of the API is recomputed here
// from what was written, and the CSV carries the same numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { login, request } from './helpers/http';

let t: TestApp;
let admin: string;
// A range around now, so that nothing written here falls outside it whatever the hour.
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const range = `from=${day(-1)}&to=${day(1)}`;
interface Row { agent: string | null; team: string | null; channel: string; category: string | null; complaint: boolean; rating: number | null; kind: 'satisfaction' | 'follow_up' }
const rows: Row[] = [];

beforeAll(async () => {
  t = await startTestApp();
  admin = await login(t.url, (await createAgent(t.prisma, { role: 'admin' })).email);
  const agents = [await createAgent(t.prisma, { name: 'Ana' }), await createAgent(t.prisma, { name: 'Bo' })];
  const teams = [await t.prisma.team.create({ data: { name: 'Billing' } }), await t.prisma.team.create({ data: { name: 'Logistics' } })];
  const inboxes = [(await createInbox(t.prisma, { kind: 'email' })).inbox, (await createInbox(t.prisma, { kind: 'sms' })).inbox];
  const contact = await t.prisma.contact.create({ data: { name: 'Reporter' } });
  const stages = ['acknowledged', 'investigating', 'resolved', 'remedied', 'followed_up'] as const;
  for (let i = 0; i < 40; i++) {
    const complaint = i % 3 === 0;
    // Opened within the hour (the report counts the cases opened in its range).
    const opened = new Date(Date.now() - (i + 1) * 60_000);
    const c = await t.prisma.conversation.create({
      data: {
        inboxId: inboxes[i % 2]!.id, contactId: contact.id, status: 'resolved', resolvedAt: new Date(), complaintCategory: ['billing', 'delivery', null][i % 3],
        ...(complaint ? { complaintStage: stages[i % 5], complaintOpenedAt: opened } : {}),
      },
    });
    const row: Row = { agent: i % 4 === 0 ? null : agents[i % 2]!.id, team: teams[i % 2]!.id, channel: inboxes[i % 2]!.kind, category: c.complaintCategory, complaint, rating: i % 5 === 4 ? null : (i % 5) + 1, kind: 'satisfaction' };
    rows.push(row);
    await t.prisma.survey.create({ data: { conversationId: c.id, kind: 'satisfaction', status: row.rating ? 'answered' : 'sent', sentAt: new Date(), dueAt: new Date(), rating: row.rating, contactId: contact.id, agentId: row.agent, teamId: row.team, channel: row.channel, complaintCategory: row.category, complaint } });
    if (complaint && i % 2 === 0) {
      await t.prisma.survey.create({ data: { conversationId: c.id, kind: 'follow_up', status: 'answered', sentAt: new Date(), dueAt: new Date(), rating: 5, contactId: contact.id, channel: row.channel, complaint: true } });
      rows.push({ ...row, kind: 'follow_up', rating: 5 });
      await t.prisma.remedy.createMany({
        data: [
          { conversationId: c.id, type: 'refund', amount: 10 + i, currency: i % 4 === 0 ? 'EUR' : 'USD', status: 'approved', decidedAt: new Date(opened.getTime() + (i + 2) * 60_000) },
          { conversationId: c.id, type: 'apology', status: 'approved', decidedAt: new Date(opened.getTime() + (i + 5) * 60_000) },
          { conversationId: c.id, type: 'credit', amount: 99, currency: 'EUR', status: 'pending_approval' },
        ],
      });
    }
  }
});
afterAll(async () => t?.close());

function expected(of: Row[]) {
  const answered = of.filter((r) => r.rating !== null);
  const average = answered.length ? answered.reduce((s, r) => s + r.rating!, 0) / answered.length : null;
  return {
    sent: of.length,
    answered: answered.length,
    responseRate: of.length ? Math.round((answered.length / of.length) * 1e4) / 1e4 : null,
    average: average === null ? null : Math.round(average * 100) / 100,
    outOf10: average === null ? null : Math.round(average * 20) / 10,
    happyShare: answered.length ? Math.round((answered.filter((r) => r.rating! >= 4).length / answered.length) * 1e4) / 1e4 : null,
  };
}

describe('the satisfaction and recovery report', () => {
  it('equals a direct computation over the rows', async () => {
    const r = await request(`${t.url}/api/v1/reports/satisfaction?${range}`, { token: admin });
    expect(r.status).toBe(200);
    const sat = rows.filter((x) => x.kind === 'satisfaction');
    expect(r.body.overall).toMatchObject(expected(sat));
    expect(r.body.followUps).toMatchObject(expected(rows.filter((x) => x.kind === 'follow_up')));
    for (const [dimension, field] of [['byAgent', 'agent'], ['byTeam', 'team'], ['byChannel', 'channel'], ['byComplaintType', 'category']] as const) {
      const keys = [...new Set(sat.map((x) => x[field]))];
      expect(r.body[dimension]).toHaveLength(keys.length);
      for (const k of keys) expect(r.body[dimension].find((g: { key: string | null }) => g.key === k), `${dimension} ${k}`).toMatchObject(expected(sat.filter((x) => x[field] === k)));
    }
    expect(r.body.recovery.complaints).toMatchObject(expected(sat.filter((x) => x.complaint)));
    expect(r.body.recovery.others).toMatchObject(expected(sat.filter((x) => !x.complaint)));
    expect(r.body.bands).toEqual({ leader: 8, attention: 7 });

    const cases = await t.prisma.conversation.groupBy({ by: ['complaintStage'], where: { complaintStage: { not: null } }, _count: true });
    expect(r.body.recovery.byStage).toEqual(cases.map((c) => ({ stage: c.complaintStage, count: c._count })).sort((a, b) => a.stage!.localeCompare(b.stage!)));
    const approved = await t.prisma.remedy.findMany({ where: { status: 'approved' }, include: { conversation: true } });
    const firstByConversation = new Map<string, number>();
    for (const x of approved) {
      const hours = (x.decidedAt!.getTime() - x.conversation.complaintOpenedAt!.getTime()) / 3_600_000;
      firstByConversation.set(x.conversationId, Math.min(firstByConversation.get(x.conversationId) ?? Infinity, hours));
    }
    const hours = [...firstByConversation.values()].sort((a, b) => a - b);
    const median = hours.length % 2 ? hours[(hours.length - 1) / 2]! : (hours[hours.length / 2 - 1]! + hours[hours.length / 2]!) / 2;
    expect(r.body.recovery.hoursToRemedy).toEqual({ count: hours.length, median: Math.round(median * 10) / 10, mean: Math.round((hours.reduce((a, b) => a + b, 0) / hours.length) * 10) / 10 });
    const cost = new Map<string, { count: number; total: number }>();
    for (const x of approved) {
      const k = `${x.type}|${x.currency}`;
      const c = cost.get(k) ?? { count: 0, total: 0 };
      cost.set(k, { count: c.count + 1, total: c.total + (x.amount ?? 0) });
    }
    expect(r.body.recovery.remedyCost).toHaveLength(cost.size);
    for (const g of r.body.recovery.remedyCost) expect(cost.get(`${g.type}|${g.currency}`)).toEqual({ count: g.count, total: g.total });

    const csv = await fetch(`${t.url}/api/v1/reports/satisfaction.csv?${range}`, { headers: { authorization: `Bearer ${admin}` } });
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('dimension,key,name,sent,answered,response_rate,average,out_of_10,share_4_5');
    const o = expected(sat);
    expect(lines[1]).toBe(`overall,,,${o.sent},${o.answered},${o.responseRate},${o.average},${o.outOf10},${o.happyShare}`);
  });
});
