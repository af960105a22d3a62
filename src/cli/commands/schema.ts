import { LambenchError } from '../../core/errors.js';
import type { CommandFactory } from '../command.js';

// Placeholder until its issue lands; replaced by the real command module.
export const schemaCommand: CommandFactory = () => ({
  command: 'schema',
  describe: 'not built yet',
  handler: () => {
    throw new LambenchError('NOT_BUILT', 'schema is not built yet');
  },
});
