// The one shape every channel's inbound message is normalised to. Nothing provider-specific
// passes this point: a connector turns an email, a Slack event, an SMS webhook or a tweet into
// an InboundMessage and hands it to the inbox.
import { z } from 'zod';
import { IdentityKind } from '../../platform/db/client';

export const identitySchema = z.object({
  kind: z.enum(IdentityKind),
  address: z.string().trim().min(1).max(320),
});

export const attachmentSchema = z.object({
  fileName: z.string().min(1).max(255),
  contentType: z.string().min(1).max(255),
  size: z.number().int().min(0),
  /** Key in the attachment store, when the bytes were stored by the connector. */
  storageKey: z.string().max(500).optional(),
  /** The provider's URL, when the bytes stay with the provider (MMS media, Slack files). */
  url: z.url().optional(),
  inline: z.boolean().optional(),
});

export const inboundMessageSchema = z.object({
  /** The provider's id for this message: the same delivery twice is stored once. */
  externalId: z.string().min(1).max(998),
  from: z.object({
    name: z.string().trim().max(200).optional(),
    /** Most specific first: the first one that is already known decides the contact. */
    identities: z.array(identitySchema).min(1).max(10),
    /** An address the sender typed but nobody verified (a chat pre-chat form): kept on the contact for replies, never used to find or merge contacts. */
    unverifiedEmail: z.email().max(320).optional(),
  }),
  text: z.string().max(200_000),
  html: z.string().max(5_000_000).optional(),
  subject: z.string().max(998).optional(),
  sentAt: z.iso.datetime({ offset: true }).optional(),
  /** Hints for joining the right conversation, strongest first. */
  thread: z
    .object({
      /** A token we issued (reply-to address, widget session) naming the conversation. */
      conversationToken: z.string().max(200).optional(),
      /** The provider's own thread id (Slack thread_ts, X conversation id). */
      key: z.string().max(500).optional(),
      inReplyTo: z.string().max(998).optional(),
      references: z.array(z.string().max(998)).max(100).optional(),
      /** A conversation token found in the message body (our marker, quoted back). */
      bodyToken: z.string().max(200).optional(),
      /** The same external id reaching several of our inboxes is one message (a mail sent to two of our addresses). */
      sameAcrossInboxes: z.boolean().optional(),
      /** Without other hints, join the contact's open conversation in this inbox (chat, SMS, API) or not (email). */
      continueOpen: z.boolean().optional(),
    })
    .default({}),
  conversationType: z.enum(['direct', 'mention']).default('direct'),
  /** outbound: a reply a teammate typed in the provider's own app (e.g. in Slack). */
  direction: z.enum(['inbound', 'outbound']).default('inbound'),
  attachments: z.array(attachmentSchema).max(100).default([]),
  /**
   * A fingerprint of who sent it and what it says. The same externalId with another
   * contentKey is another message (a mail client reusing a Message-ID), stored apart.
   */
  contentKey: z.string().max(100).optional(),
  /** Sent by a machine (auto-reply, bulk mail): never answered automatically. */
  automated: z.boolean().default(false),
  metadata: z.record(z.string(), z.unknown()).default({}),
});

export type InboundMessage = z.output<typeof inboundMessageSchema>;
export type InboundMessageInput = z.input<typeof inboundMessageSchema>;
export type InboundIdentity = z.infer<typeof identitySchema>;
