/**
 * The digest's trend chart, drawn on the server: a Vega-Lite spec compiled by vega-lite,
 * rendered to SVG by vega (no canvas, no browser), rasterized to PNG by resvg. All three are
 * plain npm packages; nothing is downloaded at install or run time.
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { TrendPoint } from './trend.ts';

export const CHART_ALT =
  'Line: KPI accuracy (%) per day; bars: open exceptions per day, over the last 30 days.';

const DAY = {
  field: 'day',
  type: 'temporal',
  timeUnit: 'utcyearmonthdate',
  title: null,
  axis: { format: '%b %d', labelAngle: 0 },
} as const;

function spec(points: TrendPoint[], title: string): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, anchor: 'start', fontSize: 14 },
    width: 640,
    height: 220,
    padding: 12,
    background: 'white',
    data: { values: points.map((p) => ({ ...p, day: `${p.day}T00:00:00Z` })) },
    layer: [
      {
        mark: { type: 'bar', color: '#e8a33d', opacity: 0.55 },
        encoding: {
          x: DAY,
          y: {
            field: 'open',
            type: 'quantitative',
            title: 'Open exceptions',
            axis: { titleColor: '#b5761b', tickMinStep: 1 },
          },
        },
      },
      {
        mark: { type: 'line', color: '#1d6fb8', strokeWidth: 2.5, point: true },
        encoding: {
          // in the middle of the day's bar
          x: { ...DAY, bandPosition: 0.5 },
          y: {
            field: 'accuracyPct',
            type: 'quantitative',
            title: 'Accuracy %',
            scale: { zero: false },
            axis: { titleColor: '#1d6fb8', orient: 'right' },
          },
        },
      },
    ],
    resolve: { scale: { y: 'independent' } },
    config: { font: 'DejaVu Sans, Liberation Sans, Arial, sans-serif', view: { stroke: null } },
  };
}

/** The chart as SVG text (vega's own renderer: no DOM). */
export async function trendChartSvg(points: TrendPoint[], title: string): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec(points, title)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The chart as PNG at twice the size, for a crisp image in Slack. */
export async function trendChartPng(points: TrendPoint[], title: string): Promise<Buffer> {
  const svg = await trendChartSvg(points, title);
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: true },
  }).render();
  return Buffer.from(png.asPng());
}
