/**
 * The chart library inlined into every report: uPlot's browser build and stylesheet, read from the
 * installed `uplot` package when a report is rendered (so the file needs no network to open).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { LambenchError } from '../../core/errors.js';

export interface ReportAssets {
  uplotJs: string;
  uplotCss: string;
}

let cached: ReportAssets | undefined;

/** uPlot's minified IIFE build and CSS; read once per process. */
export function reportAssets(): ReportAssets {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  try {
    const js = require.resolve('uplot/dist/uPlot.iife.min.js');
    const css = require.resolve('uplot/dist/uPlot.min.css');
    cached = { uplotJs: readFileSync(js, 'utf8'), uplotCss: readFileSync(css, 'utf8') };
  } catch (cause) {
    throw new LambenchError(
      'REPORT_ASSETS',
      'cannot read the uplot package to inline it into the report; reinstall lambench',
      {
        cause,
      },
    );
  }
  return cached;
}
