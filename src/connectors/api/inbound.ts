// POST /api/v1/inboxes/:inboxId/messages — a customer message from any system, with the
// inbox's token. Answers 202 with the message id once the message is durably stored.
import { Router } from 'express';
import { z } from 'zod';
import { ValidationError } from '../../platform/errors';
import { bearerToken } from '../../platform/http/auth-header';
import { parseInput } from '../../platform/http/validate';
import type { InboundMessageInput } from '../../inbox/channels/contract';
import type { ConnectorContext } from '../../inbox/channels/contract';

export const apiMessageSchema = z
  .object({
    externalId: z.string().trim().min(1).max(500),
    from: z
      .object({
        name: z.string().trim().max(200).optional(),
        email: z.email().max(320).optional(),
        phone: z.string().trim().regex(/^\+?[0-9 ()-]{5,20}$/, 'must be a phone number, e.g. +14155550123').optional(),
        /** The customer's id or handle in the posting system. */
        handle: z.string().trim().min(1).max(200).optional(),
      })
      .strict()
      .refine((f) => f.email || f.phone || f.handle, { message: 'needs at least one of email, phone or handle' }),
    text: z.string().trim().min(1, 'must not be empty').max(100_000),
    html: z.string().max(1_000_000).optional(),
    subject: z.string().max(500).optional(),
    /** The externalId of the message this one answers. */
    inReplyTo: z.string().max(500).optional(),
    sentAt: z.iso.datetime({ offset: true }).optional(),
    /** Sent by a machine (auto-reply, notification): routing never answers it automatically. */
    automated: z.boolean().optional(),
  })
  .strict();

export type ApiMessage = z.infer<typeof apiMessageSchema>;

export function normaliseApiMessage(inboxId: string, body: ApiMessage): InboundMessageInput {
  const identities: InboundMessageInput['from']['identities'] = [];
  if (body.from.email) identities.push({ kind: 'email', address: body.from.email });
  if (body.from.phone) identities.push({ kind: 'phone', address: body.from.phone });
  // A handle means something only in the posting system: scope it to this inbox.
  if (body.from.handle) identities.push({ kind: 'api', address: `${inboxId}:${body.from.handle}` });
  return {
    externalId: body.externalId,
    from: { name: body.from.name, identities },
    text: body.text,
    html: body.html,
    subject: body.subject,
    sentAt: body.sentAt,
    thread: { inReplyTo: body.inReplyTo, continueOpen: true },
    automated: body.automated,
  };
}

export function apiInboundRoutes(ctx: ConnectorContext): Router {
  const router = Router();
  router.post('/api/v1/inboxes/:inboxId/messages', async (req, res) => {
    const inbox = await ctx.inboxes.authenticate(req.params.inboxId, bearerToken(req));
    if (inbox.kind !== 'api') throw new ValidationError(`Inbox "${inbox.name}" is a ${inbox.kind} inbox; only API inboxes accept messages here`);
    const body = parseInput(apiMessageSchema, req.body);
    const accepted = await ctx.intake.accept(inbox.id, normaliseApiMessage(inbox.id, body));
    res.status(202).json({ id: accepted.messageId, status: 'accepted', duplicate: accepted.duplicate });
  });
  return router;
}
