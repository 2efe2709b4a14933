// Agents' corrections as labelled examples: when an agent changes a conversation's complaint
// type or sentiment, the latest customer message becomes an example with the agent's label.
// Read from the product's database (DATABASE_URL) when training.
import pg from 'pg';
import type { LabelledText } from './datasets';

export interface Corrections {
  sentiment: LabelledText[];
  complaint: LabelledText[];
}

export async function loadCorrections(databaseUrl: string | undefined, log: (s: string) => void): Promise<Corrections> {
  const out: Corrections = { sentiment: [], complaint: [] };
  if (!databaseUrl) {
    log('DATABASE_URL is not set: training without agents’ corrections');
    return out;
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // The latest correction per message and task wins.
    const { rows } = await client.query<{ id: string; task: string; label: string; text: string }>(
      `SELECT DISTINCT ON (c.message_id, c.task) c.id, c.task, c.label, m.text
         FROM analysis_corrections c JOIN messages m ON m.id = c.message_id
        ORDER BY c.message_id, c.task, c.created_at DESC`,
    );
    for (const r of rows) {
      const example = { id: `correction:${r.id}`, text: r.text, label: r.label, weight: 2, source: 'corrections' };
      if (r.task === 'sentiment') out.sentiment.push(example);
      else if (r.task === 'complaint') out.complaint.push(example);
    }
    log(`agents’ corrections: ${out.sentiment.length} sentiment, ${out.complaint.length} complaint type`);
  } finally {
    await client.end();
  }
  return out;
}
