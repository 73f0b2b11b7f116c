/**
 * Bar charts for the notebooks, the way the Python notebook's
 * `series.plot(kind='bar', color='skyblue')` draws them: a vega-lite spec compiled to
 * vega, rendered to SVG by a headless vega View, and rasterized to PNG by resvg.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface Bar {
  label: string;
  value: number;
}

export interface BarChartOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  /** Bar colour (matplotlib's 'skyblue' by default). */
  color?: string;
  /** Prefix of value labels and ticks, e.g. '$'. */
  unitPrefix?: string;
  width?: number;
  height?: number;
}

/** Fonts that ship with most Linux machines and that resvg finds among system fonts. */
const FONT = 'DejaVu Sans';
/** PNG pixels per SVG pixel: sharp on high-density screens, still small files. */
const PNG_SCALE = 2;

/** A divisor and suffix that keep tick labels short: 3.1e11 -> 310B. */
function magnitude(max: number): { div: number; suffix: string } {
  if (max >= 1e12) return { div: 1e12, suffix: 'T' };
  if (max >= 1e9) return { div: 1e9, suffix: 'B' };
  if (max >= 1e6) return { div: 1e6, suffix: 'M' };
  if (max >= 1e3) return { div: 1e3, suffix: 'K' };
  return { div: 1, suffix: '' };
}

/**
 * The vega-lite spec for a bar chart of `bars`, in the given order.
 * @example barChartSpec([{ label: 'Books', value: 3.1e11 }], { title: 'Sales', xTitle: 'Category', yTitle: 'Sales ($)' })
 */
export function barChartSpec(bars: readonly Bar[], opts: BarChartOptions): TopLevelSpec {
  const { div, suffix } = magnitude(Math.max(0, ...bars.map((b) => Math.abs(b.value))));
  const prefix = opts.unitPrefix ?? '';
  const short = (digits: number) =>
    `'${prefix}' + format(datum.value / ${div}, ',.${digits}f') + '${suffix}'`;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: opts.title, fontSize: 16 },
    width: opts.width ?? 480,
    height: opts.height ?? 320,
    background: 'white',
    padding: 12,
    data: { values: bars.map((b) => ({ label: b.label, value: b.value })) },
    encoding: {
      x: {
        field: 'label',
        type: 'nominal',
        sort: null,
        title: opts.xTitle,
        scale: { paddingInner: 0.3 },
        axis: { labelAngle: 0, labelFontSize: 12, titleFontSize: 13 },
      },
      y: {
        field: 'value',
        type: 'quantitative',
        title: opts.yTitle,
        axis: { grid: true, labelExpr: short(0), labelFontSize: 11, titleFontSize: 13 },
      },
    },
    layer: [
      {
        mark: { type: 'bar', color: opts.color ?? 'skyblue', stroke: '#4a90b8', strokeWidth: 0.6 },
      },
      {
        mark: { type: 'text', dy: -7, fontSize: 11, color: '#333' },
        // The data field is also called `value`, so the tick expression labels bars too.
        transform: [{ calculate: short(1), as: 'short' }],
        encoding: { text: { field: 'short', type: 'nominal' } },
      },
    ],
    config: { font: FONT, axisX: { grid: false }, view: { stroke: null } },
  } as TopLevelSpec;
}

/** Renders a vega-lite spec to an SVG string with a headless vega View. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterizes an SVG string to PNG bytes with resvg, using the system's fonts. */
export function svgToPng(svg: string, scale = PNG_SCALE): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: FONT },
    background: 'white',
  });
  return resvg.render().asPng();
}

/**
 * Writes `<name>.svg` and `<name>.png` of a bar chart into `outDir`; returns their paths.
 * @example await writeBarChart('out', 'sales', bars, { title: 'Total Sales by Category', ... })
 */
export async function writeBarChart(
  outDir: string,
  name: string,
  bars: readonly Bar[],
  opts: BarChartOptions,
): Promise<{ svg: string; png: string }> {
  mkdirSync(outDir, { recursive: true });
  const svgText = await renderSvg(barChartSpec(bars, opts));
  const svg = join(outDir, `${name}.svg`);
  const png = join(outDir, `${name}.png`);
  writeFileSync(svg, svgText);
  writeFileSync(png, svgToPng(svgText));
  return { svg, png };
}
