import { LambenchError } from '../../core/errors.js';
import type { CommandFactory } from '../command.js';

// Placeholder until its issue lands; replaced by the real command module.
export const eventsCommand: CommandFactory = () => ({
  command: 'events',
  describe: 'not built yet',
  handler: () => {
    throw new LambenchError('NOT_BUILT', 'events is not built yet');
  },
});
