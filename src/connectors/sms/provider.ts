// What the SMS channel needs from a provider. Twilio's wire format is implemented in
// twilio.ts; another provider is another file with these five things.
export interface InboundSms {
  id: string;
  from: string;
  to: string;
  body: string;
  media: Array<{ url: string; contentType: string }>;
}

export interface StatusReport {
  id: string;
  status: 'sent' | 'delivered' | 'read' | 'failed' | null;
  error?: string;
}

export interface SmsProvider {
  /** The webhook is the provider's own, unchanged (its signature over the exact URL and parameters). */
  verify(o: { url: string; params: Record<string, string>; signature: string | undefined; secret: string }): boolean;
  inbound(params: Record<string, string>): InboundSms;
  status(params: Record<string, string>): StatusReport;
  send(o: { to: string; body: string; statusCallback: string }): Promise<{ id: string; segments: number | null }>;
  /** Checks the credentials; throws with a reason. */
  check(): Promise<string>;
}
