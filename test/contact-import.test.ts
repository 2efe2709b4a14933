// CSV import of contacts through the API, run by the worker: a 1,000-row file with 10 bad rows
// reports exactly those 10 (line and reason), creates or updates the rest, and a second run of
// the same file creates nothing; a dry run writes nothing; a mapping that does not fit is a 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent } from './helpers/fixtures';
import { eventually, login, request } from './helpers/http';

let t: TestApp;
let admin: string;
const api = (path: string, init: { method?: string; body?: unknown } = {}, token = admin) => request(`${t.url}/api/v1${path}`, { token, ...init });

beforeAll(async () => {
  t = await startTestApp();
  admin = await login(t.url, (await createAgent(t.prisma, { role: 'admin' })).email);
  await api('/contact-attributes', { method: 'POST', body: { key: 'plan', label: 'Plan', type: 'list', options: ['free', 'pro', 'enterprise'] } });
  await api('/contact-attributes', { method: 'POST', body: { key: 'renewal', label: 'Renewal date', type: 'date' } });
});
afterAll(async () => t?.close());

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** 1,000 rows: 40 of them people we know already (by email), 10 bad ones at known lines. */
function file(): { csv: string; badLines: number[] } {
  const header = ['Full name', 'E-mail', 'Mobile', 'Plan', 'Renewal date', 'Company', 'Notes'];
  const rows: string[][] = [];
  const badLines: number[] = [];
  const bad: Array<(i: number) => string[]> = [
    (i) => [`Bad Email ${i}`, `not-an-email-${i}`, '', 'pro', '', '', ''],
    (i) => [`Bad Phone ${i}`, `badphone${i}@example.org`, '+1 555', 'pro', '', '', ''],
    (i) => [`Bad Plan ${i}`, `badplan${i}@example.org`, '', 'platinum', '', '', ''],
    (i) => [`Bad Date ${i}`, `baddate${i}@example.org`, '', 'free', '31/12/2027', '', ''],
    (i) => [`Nobody ${i}`, '', '', 'free', '', 'Acme', 'no way to reach them'],
  ];
  for (let i = 0; i < 1_000; i++) {
    // Line 1 is the header: row i is on line i + 2.
    if (i % 100 === 50) {
      rows.push(bad[badLines.length % bad.length]!(i));
      badLines.push(i + 2);
      continue;
    }
    const known = i < 40;
    rows.push([
      known ? `Known Person ${i}` : `Person, ${i}`,
      known ? `known${i}@example.com` : `person${i}@example.net`,
      i % 3 === 0 ? `+44 7911 1${String(i).padStart(5, '0')}` : '',
      ['free', 'pro', 'enterprise'][i % 3]!,
      i % 2 ? '2027-06-30' : '',
      i % 5 === 0 ? 'Acme Ltd' : '',
      'a "quoted" note',
    ]);
  }
  return { csv: [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n', badLines };
}

async function finished(id: string) {
  return eventually(async () => {
    const r = await api(`/contacts/imports/${id}`);
    return ['done', 'failed'].includes(r.body.status) && r.body;
  }, { timeoutMs: 60_000, what: 'the import to finish' });
}

describe('contact import', () => {
  it('reports exactly the bad rows, imports the rest, and creates nothing on a second run', async () => {
    for (let i = 0; i < 40; i++) await api(`/contacts/by-identity/email/known${i}@example.com`, { method: 'PUT', body: { name: `Known Person ${i}`, tier: 'gold' } });
    const before = await t.prisma.contact.count();
    const { csv, badLines } = file();

    const dry = await api('/contacts/imports', { method: 'POST', body: { csv, fileName: 'customers.csv' } });
    expect(dry.status).toBe(202);
    // The mapping was guessed from the headers; Notes is ignored.
    expect(dry.body.mapping).toEqual({ 'Full name': 'name', 'E-mail': 'email', Mobile: 'phone', Plan: 'attribute:plan', 'Renewal date': 'attribute:renewal', Company: 'company', Notes: 'ignore' });
    const dryReport = await finished(dry.body.id);
    expect(dryReport).toMatchObject({ status: 'done', dryRun: true, totalRows: 1_000, processedRows: 1_000, created: 950, updated: 40, unchanged: 0, rejected: 10 });
    expect(dryReport.rejections.map((r: { line: number }) => r.line)).toEqual(badLines);
    expect(dryReport.rejections[0].reasons[0]).toMatch(/E-mail: "not-an-email-\d+" is not an email address/);
    expect(dryReport.rejections[1].reasons[0]).toMatch(/Mobile: "\+1 555" is not a valid phone number/);
    expect(dryReport.rejections[2].reasons[0]).toMatch(/Plan: Plan must be one of free, pro, enterprise/);
    expect(dryReport.rejections[3].reasons[0]).toMatch(/Renewal date: .*YYYY-MM-DD/);
    expect(dryReport.rejections[4].reasons[0]).toMatch(/no email, phone, X handle or Slack id/);
    expect(await t.prisma.contact.count()).toBe(before);

    const real = await api(`/contacts/imports/${dry.body.id}/commit`, { method: 'POST' });
    expect(real.status).toBe(202);
    expect((await api(`/contacts/imports/${dry.body.id}/commit`, { method: 'POST' })).status).toBe(409);
    const report = await finished(real.body.id);
    expect(report).toMatchObject({ status: 'done', dryRun: false, created: 950, updated: 40, unchanged: 0, rejected: 10 });
    expect(report.rejections.map((r: { line: number }) => r.line)).toEqual(badLines);
    expect(await t.prisma.contact.count()).toBe(before + 950);
    // The file is forgotten once imported.
    expect((await t.prisma.contactImport.findUniqueOrThrow({ where: { id: real.body.id } })).csv).toBeNull();

    const known = await t.prisma.contact.findFirstOrThrow({ where: { email: 'known3@example.com' }, include: { identities: true, company: true } });
    expect(known).toMatchObject({ name: 'Known Person 3', tier: 'gold', attributes: { plan: 'free', renewal: '2027-06-30' } });
    expect(known.identities.map((i) => `${i.kind}:${i.address}`).sort()).toEqual(['email:known3@example.com', 'phone:+447911100003']);
    const comma = await t.prisma.contact.findFirstOrThrow({ where: { email: 'person45@example.net' }, include: { company: true } });
    expect(comma).toMatchObject({ name: 'Person, 45', company: { name: 'Acme Ltd' } });
    expect(await t.prisma.company.count({ where: { name: 'Acme Ltd' } })).toBe(1);

    const again = await api('/contacts/imports', { method: 'POST', body: { csv, dryRun: false } });
    const second = await finished(again.body.id);
    expect(second).toMatchObject({ status: 'done', created: 0, updated: 0, unchanged: 990, rejected: 10 });
    expect(await t.prisma.contact.count()).toBe(before + 950);
  });

  it('refuses a mapping that does not fit the file, naming the column', async () => {
    const csv = 'Name,Mail\nAda,ada@example.com\n';
    const wrong = await api('/contacts/imports', { method: 'POST', body: { csv, mapping: { Name: 'name', Email: 'email' } } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details).toEqual(expect.arrayContaining([{ path: 'mapping.Email', message: expect.stringContaining('no column "Email"') }]));
    const noIdentity = await api('/contacts/imports', { method: 'POST', body: { csv, mapping: { Name: 'name', Mail: 'ignore' } } });
    expect(noIdentity.status).toBe(400);
    expect(noIdentity.body.error.message).toMatch(/at least one column to email, phone/);
    const unknownAttribute = await api('/contacts/imports', { method: 'POST', body: { csv, mapping: { Name: 'attribute:shoe_size', Mail: 'email' } } });
    expect(unknownAttribute.body.error.details).toEqual([{ path: 'mapping.Name', message: 'no attribute shoe_size is defined' }]);
    expect((await api('/contacts/imports', { method: 'POST', body: { csv: 'Name,Mail\n' } })).status).toBe(400);
  });

  it('rejects a row whose identities belong to two contacts, and reads national numbers with a default country', async () => {
    await api('/contacts/by-identity/email/split.one@example.com', { method: 'PUT', body: { name: 'Split One' } });
    await api('/contacts/by-identity/phone/%2B34612000111', { method: 'PUT', body: { name: 'Split Two' } });
    const csv = 'email,phone\nsplit.one@example.com,+34 612 000 111\nnational@example.com,612 000 222\n';
    const run = await api('/contacts/imports', { method: 'POST', body: { csv, dryRun: false, defaultCountry: 'ES' } });
    const report = await finished(run.body.id);
    expect(report).toMatchObject({ created: 1, rejected: 1 });
    expect(report.rejections[0]).toEqual({ line: 2, reasons: [expect.stringMatching(/belong to different contacts: merge them first/)] });
    expect(await t.prisma.contactIdentity.findUnique({ where: { kind_address: { kind: 'phone', address: '+34612000222' } } })).not.toBeNull();
  });

  it('is refused to an agent without settings.manage', async () => {
    const agent = await login(t.url, (await createAgent(t.prisma)).email);
    expect((await api('/contacts/imports', { method: 'POST', body: { csv: 'email\na@b.co\n' } }, agent)).status).toBe(403);
  });
});
