// Help articles and macros on the first start: the help page (/help/<inbox id>), the widget's
// self-service and the composer's suggestions have something to show.
import type { Database } from '../../platform/db/client';
import { KnowledgeBase } from '../knowledge/articles';

const ARTICLES = [
  { title: 'Reset your password', tags: ['account', 'login'], body: 'Forgot your password? Choose **Forgot password** on the login page.\n\n1. Enter the email address of your account.\n2. Open the link we email you (it works for one hour).\n3. Choose a new password of at least 12 characters.\n\nNo email after 5 minutes? Look in your spam folder, or write to us in the chat.' },
  { title: 'Change the email address of your account', tags: ['account'], body: 'Go to **Settings → Profile → Email**, enter the new address and confirm the link we send to it. Until you confirm, we keep writing to the old address.' },
  { title: 'Refunds and returns', tags: ['refund', 'billing'], body: 'You can return any item within **30 days**. Open **Orders → your order → Return**, print the label and drop the parcel off.\n\nThe refund reaches your card within 5–10 days after we receive it.' },
  { title: 'Where is my parcel?', tags: ['delivery'], body: 'Open **Orders → your order → Track** to see where your parcel is. Deliveries take 2–5 working days; if tracking has not moved for 3 days, write to us and we will ask the carrier.' },
  { title: 'Restablecer la contraseña', language: 'es', tags: ['cuenta'], body: '¿Olvidaste tu contraseña? Elige **¿Olvidaste tu contraseña?** en la página de inicio de sesión y abre el enlace que te enviamos por correo.' },
  { title: 'Refunds above 500 EUR (internal)', audience: 'agents' as const, tags: ['refund'], body: 'Refunds above 500 EUR need a supervisor\'s approval: use the remedy form on the conversation.' },
];

export async function seedKnowledge(db: Database, adminId: string): Promise<void> {
  const kb = new KnowledgeBase(db);
  for (const a of ARTICLES) {
    await kb.create({ title: a.title, body: a.body, language: a.language ?? 'en', tags: a.tags, inboxId: null, audience: a.audience ?? 'customers', status: 'published' }, adminId);
  }
  await db.prisma.macro.createMany({
    data: [
      { name: 'Ask for the order number', actions: [{ type: 'reply', text: 'Hi {name}, thanks for writing. Could you send us your order number so we can look into it?' }, { type: 'setStatus', status: 'pending' }], createdById: adminId },
      { name: 'Refund approved', actions: [{ type: 'reply', text: 'Hi {name}, your refund is approved: it reaches your card within 5–10 days.' }, { type: 'addLabels', labels: ['refund'] }, { type: 'setStatus', status: 'resolved' }], createdById: adminId },
    ],
  });
}
