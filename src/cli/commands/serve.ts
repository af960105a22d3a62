import { LambenchError } from '../../core/errors.js';
import type { CommandFactory } from '../command.js';

// Placeholder until its issue lands; replaced by the real command module.
export const serveCommand: CommandFactory = () => ({
  command: 'serve',
  describe: 'not built yet',
  handler: () => {
    throw new LambenchError('NOT_BUILT', 'serve is not built yet');
  },
});
