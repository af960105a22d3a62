/**
 * Writes the report files a command asked for (HTML, Markdown, JUnit) from one results file, its
 * evaluated thresholds and an optional comparison. Each file is written whole (temporary file,
 * then rename), so a reader never opens half a report.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Comparison } from '../ci/compare-types.js';
import type { ThresholdOutcome } from '../ci/thresholds.js';
import { InputError } from '../core/errors.js';
import type { Results } from '../metrics/results-schema.js';
import { renderHtmlReport } from './html/render.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';

export interface ReportRequest {
  results: Results;
  thresholds: readonly ThresholdOutcome[];
  comparison?: Comparison;
  /** Earlier runs drawn next to this one in the HTML report. */
  baselines?: readonly { label: string; results: Results }[];
  htmlPath?: string;
  markdownPath?: string;
  junitPath?: string;
}

/** Writes every requested file; returns the paths written, in order (html, markdown, junit). */
export async function writeReports(request: ReportRequest): Promise<string[]> {
  const written: string[] = [];
  const { results, thresholds, comparison } = request;
  if (request.htmlPath) {
    await writeWhole(
      request.htmlPath,
      renderHtmlReport({
        results,
        thresholds,
        ...(request.baselines ? { baselines: request.baselines } : {}),
        ...(comparison ? { comparison } : {}),
      }),
    );
    written.push(request.htmlPath);
  }
  if (request.markdownPath) {
    await writeWhole(request.markdownPath, renderMarkdown(results, thresholds, comparison));
    written.push(request.markdownPath);
  }
  if (request.junitPath) {
    await writeWhole(request.junitPath, renderJunit(results, thresholds, comparison));
    written.push(request.junitPath);
  }
  return written;
}

async function writeWhole(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, text);
    await rename(temporary, path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new InputError('REPORT_UNWRITABLE', `cannot write the report here (${code})`, {
      position: { file: path },
      cause,
    });
  }
}
