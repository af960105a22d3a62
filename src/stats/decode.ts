/** Encoded histograms from results.json as Histogram objects, ready for the statistics. */
import type { Histogram } from 'hdr-histogram-js';
import { createHistogram, type EncodedHistogram, mergeHistograms } from '../metrics/histogram.js';

/**
 * One histogram from any number of encoded parts (e.g. a series' cold and warm histograms, or the
 * same setting across repeats); absent parts are skipped, none gives an empty histogram.
 */
export function histogramOf(...parts: ReadonlyArray<EncodedHistogram | undefined>): Histogram {
  const present = parts.filter((p): p is EncodedHistogram => p !== undefined);
  return present.length === 0 ? createHistogram('us') : mergeHistograms(present);
}
