// Complaint cases: a conversation whose customer complains carries a recovery stage —
// acknowledged → investigating → resolved → remedied → followed up. The analysis opens one (the
// pipeline: negative words about anything but praise or a question), an agent may open, move or
// close one; resolving the conversation, logging a remedy and sending the follow-up move it on.
import type { ComplaintStage } from '../../platform/db/client';
import type { Actor, ConversationActions } from '../conversations/actions';
import type { ConversationView } from '../views';

export const COMPLAINT_STAGES = ['acknowledged', 'investigating', 'resolved', 'remedied', 'followed_up'] as const satisfies readonly ComplaintStage[];

const STAGE_WORDS: Record<ComplaintStage, string> = {
  acknowledged: 'acknowledged',
  investigating: 'investigating',
  resolved: 'resolved',
  remedied: 'remedied',
  followed_up: 'followed up',
};

/** Complaint types that are not complaints. */
const NOT_COMPLAINTS = new Set(['praise', 'question']);

/** Whether the analysis of a customer's message opens a complaint case. */
export function opensComplaint(complaintCategory: string | null, sentimentLabel: string | null): boolean {
  return !!complaintCategory && !NOT_COMPLAINTS.has(complaintCategory) && sentimentLabel === 'negative';
}

/** Later stages only move forward by themselves (a resolve never takes a remedied case back). */
export const isLater = (next: ComplaintStage, current: ComplaintStage | null) => !current || COMPLAINT_STAGES.indexOf(next) > COMPLAINT_STAGES.indexOf(current);

/** Opens, moves (null: "not a complaint") the case, with its activity line. */
export function setComplaintStage(actions: ConversationActions, actor: Actor, conversationId: string, stage: ComplaintStage | null): Promise<ConversationView> {
  return actions.recordWith(actor, conversationId, ['complaintStage'], async (tx) => {
    const before = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { complaintStage: true, complaintOpenedAt: true } });
    return {
      activity: stage
        ? { text: before.complaintStage ? `Complaint ${STAGE_WORDS[stage]}` : `Marked a complaint (${STAGE_WORDS[stage]})`, kind: 'complaint_stage', data: { stage, was: before.complaintStage } }
        : { text: 'Not a complaint', kind: 'complaint_stage', data: { stage: null, was: before.complaintStage } },
      // Kept when it is "not a complaint" too: the analysis does not open it again.
      data: { complaintStage: stage, complaintOpenedAt: before.complaintOpenedAt ?? new Date() },
    };
  });
}
