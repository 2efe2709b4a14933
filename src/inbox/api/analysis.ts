// What the analysis runs on: each shipped model, the data and terms it inherits, how many of
// this team's corrections it learned from, and how many corrections are stored since (the
// next `npm run train` reads them).
import { modelSummaries, type ModelSummary } from '../../sentiment';
import type { InboxServices } from '../services';
import type { AgentApi } from './auth';

export interface AnalysisModels {
  models: ModelSummary[];
  /** Corrections agents have made in this installation (each message and task counted once). */
  correctionsStored: number;
  /** Of those, how many the current models learned from. */
  correctionsLearned: number;
}

export function analysisRoutes(api: AgentApi, s: InboxServices): void {
  api.route(
    { method: 'get', path: '/analysis/models', tag: 'analysis', auth: 'agent', summary: 'The shipped analysis models, what each was trained on, and the corrections they learned from' },
    async (): Promise<AnalysisModels> => {
      const models = modelSummaries();
      const { rows } = await s.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM (SELECT DISTINCT message_id, task FROM analysis_corrections) c');
      return { models, correctionsStored: rows[0]!.n, correctionsLearned: models.reduce((sum, m) => sum + m.correctionsLearned, 0) };
    },
  );
}
