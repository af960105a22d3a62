/**
 * `--kinesis-endpoint <url>` of `lambench run` and `sweep`: every Kinesis source of the scenario
 * puts its records into that Kinesis API (kinesalite, LocalStack, AWS) instead of the in-memory
 * stream — what `kinesis: { endpoint }` does in the file, without editing it.
 */
import { InputError } from '../core/errors.js';
import type { Scenario } from '../scenario/index.js';

const FLAG = '--kinesis-endpoint';

/** Points the scenario's Kinesis sources at `url`; a bad URL or no Kinesis source is a usage error. */
export function applyKinesisEndpoint(scenario: Scenario, url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usage(`expected an http:// or https:// URL, got "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw usage(`expected an http:// or https:// URL, got "${url}"`);
  let sources = 0;
  for (const source of Object.values(scenario.sources)) {
    if (source.kind !== 'kinesis') continue;
    source.stream.endpoint = url;
    sources++;
  }
  if (sources === 0) throw usage(`the scenario ${scenario.file} has no kinesis source`);
}

function usage(message: string): InputError {
  return new InputError('INVALID_ARGUMENT', message, {
    position: { file: 'command line', field: FLAG },
  });
}
