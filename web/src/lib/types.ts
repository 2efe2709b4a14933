// The shapes the agent API answers with (see /api/v1/openapi.json).

export type SentimentLabel = 'negative' | 'neutral' | 'positive';
export type ConversationStatus = 'open' | 'pending' | 'snoozed' | 'resolved';

export interface Agent {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'supervisor' | 'agent';
  availability: 'online' | 'busy' | 'offline';
}

export interface PriorityFactor {
  factor: string;
  points: number;
  detail: string;
}

export interface Conversation {
  id: string;
  reference: number;
  inbox: { id: string; name: string; kind: string };
  contact: { id: string; name: string | null; email: string | null; phone: string | null };
  type: 'direct' | 'mention';
  status: ConversationStatus;
  priority: number;
  priorityReason: { factors?: PriorityFactor[]; computedAt?: string };
  assignee: { id: string; name: string } | null;
  team: { id: string; name: string } | null;
  subject: string | null;
  lastMessagePreview: string | null;
  messageCount: number;
  sentiment: { label: SentimentLabel; score: number; series?: number[]; slope?: number | null } | null;
  complaintCategory: string | null;
  escalationRisk: number | null;
  labels: Array<{ name: string; color: string }>;
  createdAt: string;
  lastMessageAt: string;
  waitingSince: string | null;
  firstResponseAt: string | null;
  snoozedUntil: string | null;
  firstResponseDueAt: string | null;
  nextResponseDueAt: string | null;
}

export interface ExplanationItem {
  feature: string;
  weight: number;
}

export interface Message {
  id: string;
  conversationId: string;
  direction: 'inbound' | 'outbound' | 'note' | 'activity';
  sender: { type: 'contact' | 'agent' | 'system'; id: string | null; name: string | null };
  text: string;
  html: string | null;
  subject: string | null;
  deliveryStatus: string | null;
  deliveryError: string | null;
  threadReason: string | null;
  attachments: Array<{ id: string; fileName: string; contentType: string; size: number; url: string | null }>;
  signals: {
    sentiment: { label: SentimentLabel; score: number; confidence: number };
    complaint: { category: string; confidence: number } | null;
    urgency: Array<{ cue: string; phrase: string; weight: number }>;
    escalationRisk: number | null;
    language: string | null;
    explanation: { sentiment: ExplanationItem[]; complaint: ExplanationItem[]; rules: string[] };
    modelVersion: string;
  } | null;
  sentAt: string;
}

export interface ConversationEvent {
  type: 'conversation.created' | 'conversation.updated';
  conversation: Conversation;
}

export interface MessageEvent {
  type: 'message.created' | 'message.updated';
  conversationId: string;
  message: Message;
  /** The conversation as the message left it (new messages and replies carry it). */
  conversation?: Conversation;
}

export interface PresenceEvent {
  conversationId: string;
  viewers: Array<{ id: string; name: string }>;
}

export interface TypingEvent {
  conversationId: string;
  agent: { id: string; name: string };
  typing: boolean;
}

export interface Report {
  from: string;
  to: string;
  days: Array<{ day: string; channel: string; messages: number; negative: number; neutral: number; positive: number; avgSentiment: number | null }>;
  complaintTypes: Array<{ category: string; conversations: number }>;
  responseTimes: { conversations: number; firstResponseMedianMinutes: number | null; resolved: number; resolutionMedianMinutes: number | null; slaBreaches: number };
  agents: Array<{ id: string; name: string; assigned: number; resolved: number; firstResponseAverageMinutes: number | null }>;
  teams: Array<{ id: string; name: string; conversations: number; resolved: number }>;
}
