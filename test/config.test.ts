import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/platform/config';

describe('configuration', () => {
  it('starts with sensible defaults when nothing is set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, DEMO_DATA: true, QUEUE_PREFIX: 'inbox' });
    expect(c.publicUrl).toBe('http://127.0.0.1:3000');
  });

  it('names every bad variable and why', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', REDIS_URL: 'localhost:6379', DEMO_DATA: 'maybe' });
      expect.fail('should have thrown');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const text = (err as Error).message;
      for (const name of ['PORT', 'DATABASE_URL', 'REDIS_URL', 'DEMO_DATA']) expect(text).toContain(name);
      expect(text).toContain('postgresql://');
    }
  });

  it('requires an APP_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/APP_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', APP_SECRET: 'x'.repeat(32) }).appSecret).toBe('x'.repeat(32));
  });
});
