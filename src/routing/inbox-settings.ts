// How one inbox is routed: its business hours, its acknowledgement, its second line, its
// assignment strategy. Stored in the inbox's `routing` column (apart from the channel's own
// config); set with PUT /api/v1/inboxes/:id/routing.
import { z } from 'zod';
import { businessHoursSchema } from './business-hours';

const ackTexts = z.record(z.string().regex(/^[a-z]{3}$/, 'an ISO 639-3 language code such as eng'), z.record(z.string(), z.string().max(1000)));

export const inboxRoutingSchema = z
  .object({
    businessHours: businessHoursSchema.nullable().optional(),
    acknowledgement: z
      .object({ enabled: z.boolean().default(true), periodMinutes: z.number().int().min(1).max(525_600).default(1440), texts: ackTexts.optional() })
      .strict()
      .optional(),
    /** The inbox's language: customers whose language is not known are answered in it (default English). */
    language: z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'a language code such as es or pt-BR').optional(),
    /** How automatic messages greet: formally ("Estimada Sra. López") or by first name ("Hola María"); a contact's own preference wins. */
    tone: z.enum(['formal', 'informal']).optional(),
    /** Escalations move conversations to this team (else to a supervisor). */
    escalationTeamId: z.uuid().nullable().optional(),
    assignment: z.object({ strategy: z.enum(['balanced', 'round_robin']).default('balanced') }).strict().optional(),
  })
  .strict();

export type InboxRouting = z.output<typeof inboxRoutingSchema>;

/** An inbox's stored routing settings; bad stored values count as unset. */
export function inboxRoutingOf(stored: unknown): InboxRouting {
  const parsed = inboxRoutingSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : {};
}
