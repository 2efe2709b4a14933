import { describe, expect, it } from 'vitest';
import { computePriority, parsePriorityWeights, type PriorityInput } from '../src/routing/priority';

const calm: PriorityInput = { sentimentScore: 0.2, escalationRisk: 0.05, urgencyWeight: 0, complaintCategory: 'question', waitingMinutes: 5, slaMinutesLeft: null, customerValue: null, isPublic: false };

describe('priority', () => {
  it('ranks an angry, urgent, public, long-waiting complaint far above a calm question', () => {
    const angry = computePriority({ ...calm, sentimentScore: -0.9, escalationRisk: 0.8, urgencyWeight: 0.6, complaintCategory: 'refund', waitingMinutes: 240, isPublic: true });
    const question = computePriority(calm);
    expect(angry.score).toBeGreaterThan(question.score + 40);
    expect(angry.factors[0]!.points).toBeGreaterThanOrEqual(angry.factors.at(-1)!.points);
  });

  it('explains every point of the score', () => {
    const p = computePriority({ ...calm, sentimentScore: -0.5, waitingMinutes: 120, slaMinutesLeft: -5 });
    expect(Math.round(p.factors.reduce((s, f) => s + f.points, 0))).toBe(p.score);
    expect(p.factors.map((f) => f.factor)).toEqual(expect.arrayContaining(['negativity', 'waiting', 'sla']));
  });

  it('keeps a quarter of the score once the customer is answered', () => {
    const waiting = computePriority({ ...calm, sentimentScore: -0.8, waitingMinutes: 60 });
    const answered = computePriority({ ...calm, sentimentScore: -0.8, waitingMinutes: null });
    expect(answered.score).toBeLessThan(waiting.score / 2);
    expect(answered.factors.at(-1)!.detail).toMatch(/answered/);
  });

  it('reads weights from PRIORITY_WEIGHTS and refuses nonsense', () => {
    expect(parsePriorityWeights('{"exposure": 30}').exposure).toBe(30);
    expect(() => parsePriorityWeights('{"risk": -1}')).toThrow(/risk must be a number >= 0/);
  });
});
