import type { Request } from 'express';
import { z } from 'zod';
import { validationFailed } from '../services/errors.js';

/**
 * Query-string validation. Express 5's `req.query` cannot be replaced, so routes call this and use
 * the parsed value. A repeated parameter arrives as an array and fails the string checks (400).
 */
export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  const result = schema.safeParse(req.query ?? {});
  if (!result.success) {
    throw validationFailed(result.error.issues.map((issue) => ({ field: issue.path.join('.') || 'query', message: issue.message })));
  }
  return result.data;
}

const integer = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,6}$/, `${name} must be a whole number.`)
    .transform(Number)
    .pipe(z.number().min(min, `${name} must be at least ${min}.`).max(max, `${name} must be at most ${max}.`))
    .default(fallback);

/** `page` ≥ 1 and `limit` 1–100, defaults 1 and 20. */
export const pagination = {
  page: integer('page', 1, 100_000, 1),
  limit: integer('limit', 1, 100, 20),
};

export interface Page {
  page: number;
  limit: number;
}

export const offsetOf = ({ page, limit }: Page) => (page - 1) * limit;
