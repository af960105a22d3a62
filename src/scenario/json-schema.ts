/** The scenario format as JSON Schema (draft 2020-12), for editors: `lambench schema`. */
import { z } from 'zod';
import { scenarioSchema } from './schema.js';

/** The input side of the schema: what a user may write, with defaults documented. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(scenarioSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }),
    title: 'lambench scenario',
  };
}
