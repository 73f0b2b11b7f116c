import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { barChartSpec, renderSvg, writeBarChart } from '../../dist/charts/bar-chart.js';

const bars = [
  { label: 'Books', value: 3.149e11 },
  { label: 'Clothing', value: 3.131e11 },
  { label: 'Toys', value: 3.151e11 },
];
const opts = {
  title: 'Total Sales by Category',
  xTitle: 'Category',
  yTitle: 'Sales ($)',
  unitPrefix: '$',
};

describe('bar chart', () => {
  it('renders one bar per category, in order, with title, axis titles and short labels', async () => {
    const svg = await renderSvg(barChartSpec(bars, opts));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Total Sales by Category');
    expect(svg).toContain('Sales ($)');
    expect(svg).toContain('Category');
    expect(svg.match(/aria-roledescription="bar"/g)?.length).toBe(3);
    expect(svg.indexOf('>Books<')).toBeLessThan(svg.indexOf('>Clothing<'));
    expect(svg.indexOf('>Clothing<')).toBeLessThan(svg.indexOf('>Toys<'));
    expect(svg).toContain('$314.9B');
    expect(svg).toContain('$300B');
  });

  it('writes an SVG and a PNG', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dusk-chart-'));
    const { svg, png } = await writeBarChart(dir, 'sales', bars, opts);
    expect(readFileSync(svg, 'utf8')).toContain('<svg');
    const bytes = readFileSync(png);
    expect([...bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(bytes.length).toBeGreaterThan(5000);
  });
});
