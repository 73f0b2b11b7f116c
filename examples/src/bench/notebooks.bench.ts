/**
 * Whole-run benchmark of the two notebooks at full size: each runs in its own Node process
 * (so its peak RSS is its own), several times; every step's median is reported next to the
 * same step of the Python Dask notebook (examples/compare/*.py, when /usr/bin/python3 has
 * dask) run on the same machine in the same benchmark run, and next to the issue's targets.
 * Run it alone on the machine: `flock /tmp/dusk-bench.lock npm run bench notebooks`.
 * DUSK_BENCH_RUNS (default 3) and DUSK_BENCH_PY_RUNS (default 3, 0 to skip) set the runs;
 * DUSK_BENCH_SCHEDULER (default threads) the scheduler.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, median, report } from './lib.js';

interface RunSummary {
  steps: { title: string; ms: number }[];
  totalMs: number;
  peakRssMb: number;
}

interface Notebook {
  name: string;
  script: string;
  python: string;
  /** The issue's targets on the thread scheduler, by step title (ms), plus whole run and RSS. */
  targets: Record<string, number>;
}

const here = fileURLToPath(new URL('.', import.meta.url));
const examples = join(here, '..', '..');
const PYTHON = '/usr/bin/python3';
const runs = Number(process.env.DUSK_BENCH_RUNS ?? 3);
const pyRuns = Number(process.env.DUSK_BENCH_PY_RUNS ?? 3);
const scheduler = process.env.DUSK_BENCH_SCHEDULER ?? 'threads';

const NOTEBOOKS: Notebook[] = [
  {
    name: 'e-commerce (50M rows, 1e9 random mean)',
    script: join(examples, 'dist', 'ecommerce.js'),
    python: join(examples, 'compare', 'ecommerce.py'),
    targets: {
      'Total sales by category': 100,
      'Top 5 products': 100,
      'Mean of the random numbers': 1100,
      whole: 6000,
      rss: 3072,
    },
  },
  {
    name: 'weather (10M rows)',
    script: join(examples, 'dist', 'weather.js'),
    python: join(examples, 'compare', 'weather.py'),
    targets: { 'Fahrenheit column (lambda map) and compute': 300, whole: 1000 },
  },
];

function runOnce(cmd: string, args: string[]): RunSummary {
  const json = join(mkdtempSync(join(tmpdir(), 'dusk-nb-bench-')), 't.json');
  const r = spawnSync(cmd, [...args, cmd === PYTHON ? '--json' : '--timings-json', json], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}:\n${r.stderr}`);
  }
  return JSON.parse(readFileSync(json, 'utf8')) as RunSummary;
}

function pythonHasDask(): boolean {
  return spawnSync(PYTHON, ['-c', 'import dask.dataframe'], { stdio: 'ignore' }).status === 0;
}

/** Median per step title, whole run and peak RSS over several runs. */
function medians(summaries: RunSummary[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const title of summaries[0]?.steps.map((s) => s.title) ?? []) {
    out.set(title, median(summaries.map((s) => s.steps.find((x) => x.title === title)?.ms ?? 0)));
  }
  out.set('whole', median(summaries.map((s) => s.totalMs)));
  out.set('rss', median(summaries.map((s) => s.peakRssMb)));
  return out;
}

/** "3.2x faster" / "1.4x slower" (or less / more memory) for python / dusk. */
function compare(ratio: number, unit: string): string {
  const [better, worse] = unit === 'MB' ? ['less memory', 'more memory'] : ['faster', 'slower'];
  return ratio >= 1 ? `${ratio.toFixed(1)}x ${better}` : `${(1 / ratio).toFixed(1)}x ${worse}`;
}

const fmt = (ms: number | undefined, unit = 's') =>
  ms === undefined ? '-' : unit === 'MB' ? `${ms.toFixed(0)} MB` : `${(ms / 1000).toFixed(3)} s`;

console.log(`notebooks on ${machine()}, scheduler ${scheduler}, ${runs} run(s) each`);
const withPython = pyRuns > 0 && pythonHasDask();
for (const nb of NOTEBOOKS) {
  const dusk = medians(
    Array.from({ length: runs }, () =>
      runOnce(process.execPath, [nb.script, '--scheduler', scheduler, '--progress', 'off']),
    ),
  );
  const py = withPython
    ? medians(Array.from({ length: pyRuns }, () => runOnce(PYTHON, [nb.python])))
    : undefined;
  const rows = [...dusk.keys()].map((title) => {
    const unit = title === 'rss' ? 'MB' : 's';
    const d = dusk.get(title)!;
    const p = py?.get(title);
    const ratio = p === undefined || d === 0 ? '' : `  ${compare(p / d, unit)}`;
    const target = nb.targets[title];
    const goal =
      target === undefined
        ? ''
        : `  target ${fmt(target, unit)}${d <= target ? ' met' : ' MISSED'}`;
    return {
      name: title === 'rss' ? 'peak RSS' : title,
      value: `${fmt(d, unit).padStart(10)}  python ${fmt(p, unit).padStart(10)}${ratio}${goal}`,
    };
  });
  report(
    `${nb.name}: Dusk median of ${runs}${withPython ? `, Python Dask median of ${pyRuns}` : ''}`,
    rows,
  );
}
if (!withPython)
  console.log('\n(Python Dask not found at /usr/bin/python3: no side-by-side figures)');
