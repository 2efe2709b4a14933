import type { z } from 'zod';
import { ValidationError } from '../errors';

/** Parses request input; a failure is a 400 that names every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'request body'): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new ValidationError(
    `The ${what} is not valid`,
    r.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })),
  );
}
