// Raw RFC 5322 mails for tests, written out as a mail client would.
export interface MailSpec {
  from: string;
  to?: string;
  subject?: string;
  text?: string;
  messageId?: string | null;
  headers?: Record<string, string>;
  date?: Date;
}

let n = 0;

export function rawMail(m: MailSpec): string {
  const id = m.messageId === null ? [] : [`Message-ID: ${m.messageId ?? `<t${Date.now()}.${++n}@test.local>`}`];
  return [
    `From: ${m.from}`,
    `To: ${m.to ?? 'support@acme.test'}`,
    `Subject: ${m.subject ?? 'A question'}`,
    `Date: ${(m.date ?? new Date()).toUTCString()}`,
    ...id,
    ...Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    m.text ?? 'Hello, I have a question about my order.',
    '',
  ].join('\r\n');
}
