/** `lambench schema`: prints the scenario format as JSON Schema, e.g. `lambench schema > lambench.schema.json`. */
import { scenarioJsonSchema } from '../../scenario/index.js';
import type { CommandFactory } from '../command.js';

export const schemaCommand: CommandFactory = (io) => ({
  command: 'schema',
  describe: 'Print the JSON Schema of scenario files (for editors): lambench schema > lambench.schema.json',
  handler: () => {
    io.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  },
});
