import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { validationFailed } from '../../services/errors.js';

/** Replaces req.body with the parsed value: unknown fields are dropped, never assigned. */
export const validateBody = (schema: z.ZodType): RequestHandler => (req, _res, next) => {
  const result = schema.safeParse(req.body ?? {});
  if (!result.success) {
    next(
      validationFailed(
        result.error.issues.map((issue) => ({ field: issue.path.join('.') || 'body', message: issue.message })),
      ),
    );
    return;
  }
  req.body = result.data;
  next();
};
