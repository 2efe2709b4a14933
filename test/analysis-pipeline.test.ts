// The analysis inside the product: every inbound message scored and stored with the model
// version, the thread's trajectory kept on the conversation, and agents' corrections stored
// as labelled examples that training reads. Real PostgreSQL and HTTP.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TextClassifier } from '../src/sentiment/classifier';
import { LinearModel, readModelFile } from '../src/sentiment/model';
import { readClusters } from '../src/sentiment/shipped-models';
import { tokenise } from '../src/sentiment/text/tokens';
import { modelVersion } from '../src/sentiment';
import { loadCorrections } from '../src/sentiment/training/corrections';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { eventually, login, request } from './helpers/http';

const ROOT = path.resolve(import.meta.dirname, '..');
/** A team's own labelled history (written for these tests). */
const HISTORY = path.join(ROOT, 'test/fixtures/analysis/complaints.csv');

let t: TestApp;
let inbox: { id: string; token: string };
let agent: { id: string; token: string };
let outsider: string;

const post = (body: unknown) => request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { token: inbox.token, body });
const stored = (id: string) => eventually(() => t.prisma.message.findUnique({ where: { id }, include: { signal: true, conversation: true } }), { what: `message ${id}` });

beforeAll(async () => {
  t = await startTestApp();
  const a = await createAgent(t.prisma, { name: 'Ana Agent' });
  const b = await createAgent(t.prisma, { name: 'Olli Outsider' });
  const created = await createInbox(t.prisma, { memberIds: [a.id] });
  inbox = { id: created.inbox.id, token: created.token };
  agent = { id: a.id, token: await login(t.url, a.email) };
  outsider = await login(t.url, b.email);
});

afterAll(() => t?.close());

describe('analysis in the pipeline', () => {
  it('keeps the sentiment trajectory of a thread whose customer gets angrier, and counts it in the risk', async () => {
    const from = { email: 'sliding@example.com', name: 'Sam Slide' };
    const texts = [
      'Hi! Thanks for the quick reply yesterday, really appreciated.',
      'The replacement has still not arrived. When will it come?',
      'This is ridiculous. Third time asking, nobody answers, worst service ever!',
    ];
    let last;
    for (const [i, text] of texts.entries()) last = await stored((await post({ externalId: `slide-${i}`, from, text })).body.id);
    const c = last!.conversation;
    expect(c.sentimentSeries).toHaveLength(3);
    expect(c.sentimentSeries[0]).toBeGreaterThan(0);
    expect(c.sentimentSeries[2]).toBeLessThan(0);
    expect(c.sentimentSlope).toBeLessThan(-0.3);
    const rules = (last!.signal!.explanation as { rules: string[] }).rules;
    expect(rules.some((r) => r.startsWith('trajectory:slope'))).toBe(true);
    expect(rules.some((r) => r.startsWith('risk:worsening'))).toBe(true);
    expect(c.escalationRisk).toBe(last!.signal!.escalationRisk);
    expect(last!.signal!.modelVersion).toBe(modelVersion());

    // The agent sees the series (for the sparkline) on the conversation.
    const view = await request(`${t.url}/api/v1/conversations/${c.id}`, { token: agent.token });
    expect(view.body.conversation.sentiment.series).toEqual(c.sentimentSeries);
    expect(view.body.conversation.sentiment.slope).toBe(c.sentimentSlope);
  });

  it('reads a message too short to tell in the language the customer wrote before, with that language’s model', async () => {
    const from = { email: 'cliente@example.com', name: 'Lucía' };
    const first = await stored((await post({ externalId: 'es-1', from, text: 'Llevo tres semanas esperando mi reembolso, es inaceptable' })).body.id);
    expect(first.signal!.language).toBe('spa');
    expect(first.signal!.modelVersion).toMatch(/^sentiment-spa-/);
    // "vale" alone is too little to tell; in this conversation it is Spanish.
    const second = await stored((await post({ externalId: 'es-2', from, text: 'vale' })).body.id);
    expect(second.conversationId).toBe(first.conversationId);
    expect(second.signal!.language).toBe('spa');
    expect(second.conversation.language).toBe('spa');
    expect((second.signal!.explanation as { rules: string[] }).rules).toContain('sentiment:model:spa');
  });
});

describe('correcting the analysis', () => {
  let conversationId: string;
  let latestId: string;

  beforeAll(async () => {
    const from = { email: 'corrected@example.com' };
    await stored((await post({ externalId: 'corr-1', from, text: 'Hello, I have a question about my account.' })).body.id);
    const m = await stored((await post({ externalId: 'corr-2', from, text: 'I sent the parcel back two weeks ago and I am still waiting for my money.' })).body.id);
    conversationId = m.conversationId;
    latestId = m.id;
  });

  it('updates the conversation, records who corrected what, and leaves an activity line', async () => {
    const before = await t.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    const r = await request(`${t.url}/api/v1/conversations/${conversationId}/analysis`, { token: agent.token, body: { complaintCategory: 'refund', sentiment: 'negative' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.complaintCategory).toBe('refund');
    expect(r.body.sentiment.label).toBe('negative');
    const rows = await t.prisma.analysisCorrection.findMany({ where: { conversationId }, orderBy: { task: 'asc' } });
    expect(rows.map((c) => [c.task, c.label, c.messageId, c.agentId])).toEqual([
      ['complaint', 'refund', latestId, agent.id],
      ['sentiment', 'negative', latestId, agent.id],
    ]);
    expect(rows.find((c) => c.task === 'complaint')!.previous).toBe(before.complaintCategory);
    const timeline = await request(`${t.url}/api/v1/conversations/${conversationId}`, { token: agent.token });
    expect(timeline.body.messages.at(-1).text).toMatch(/Analysis corrected by Ana Agent: .*complaint type .* → refund/);
  });

  it('becomes a labelled example for the next training run', async () => {
    const corrections = await loadCorrections(t.db.url, () => {});
    expect(corrections.complaint).toContainEqual(expect.objectContaining({ label: 'refund', text: 'I sent the parcel back two weeks ago and I am still waiting for my money.' }));
    expect(corrections.sentiment).toContainEqual(expect.objectContaining({ label: 'negative' }));
  });

  it('changes what the next training run predicts, trained on the team’s own labelled history and nothing else', async () => {
    // A word the labelled history has never seen; the agent says what it means.
    const text = 'The flumox widget again';
    const m = await stored((await post({ externalId: 'corr-flumox', from: { email: 'flumox@example.com' }, text })).body.id);
    const r = await request(`${t.url}/api/v1/conversations/${m.conversationId}/analysis`, { token: agent.token, body: { complaintCategory: 'praise' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const train = (out: string, databaseUrl?: string) => {
      const env: NodeJS.ProcessEnv = { ...process.env, DOTENV_CONFIG_QUIET: 'true' };
      delete env.DATABASE_URL;
      if (databaseUrl) env.DATABASE_URL = databaseUrl;
      const args = ['--import', 'tsx', '--no-warnings', 'src/sentiment/training/train-cli.ts', '--task', 'complaint', '--data', HISTORY, '--label-column', 'category', '--out', out];
      const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env });
      expect(run.status, run.stderr).toBe(0);
      const file = readModelFile(path.join(out, 'complaint.json.gz'));
      return { file, label: new TextClassifier(new LinearModel([file]), readClusters(path.join(out, 'word-clusters.json.gz'))).classify(tokenise(text)).label };
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-corrections-'));
    try {
      const without = train(path.join(dir, 'without'));
      const withCorrections = train(path.join(dir, 'with'), t.db.url);
      expect(without.label).not.toBe('praise');
      expect(withCorrections.label).toBe('praise');
      expect(withCorrections.file.trainedOn).toEqual([
        expect.objectContaining({ source: 'complaints.csv', licence: 'provided by the user' }),
        expect.objectContaining({ source: 'agents’ corrections in this installation', licence: 'your own data' }),
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown complaint type or an empty correction, writing nothing', async () => {
    const before = await t.prisma.analysisCorrection.count();
    const unknown = await request(`${t.url}/api/v1/conversations/${conversationId}/analysis`, { token: agent.token, body: { complaintCategory: 'astrology' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/Unknown complaint type "astrology"/);
    const empty = await request(`${t.url}/api/v1/conversations/${conversationId}/analysis`, { token: agent.token, body: {} });
    expect(empty.status).toBe(400);
    const wrongLabel = await request(`${t.url}/api/v1/conversations/${conversationId}/analysis`, { token: agent.token, body: { sentiment: 'angry' } });
    expect(wrongLabel.status).toBe(400);
    expect(await t.prisma.analysisCorrection.count()).toBe(before);
  });

  it('hides the conversation from agents outside its inbox', async () => {
    const r = await request(`${t.url}/api/v1/conversations/${conversationId}/analysis`, { token: outsider, body: { sentiment: 'positive' } });
    expect(r.status).toBe(404);
  });
});
