import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = (name: string) => fileURLToPath(new URL(`../../dist/${name}.js`, import.meta.url));

/** The notebooks as a user runs them: a child process, its own exit, its own streams. */
describe('notebooks from the command line', () => {
  it.each(['sync', 'threads', 'processes'])(
    'the weather notebook runs to its closing summary on %s',
    (scheduler) => {
      const r = spawnSync(
        process.execPath,
        [script('weather'), '--rows', '20000', '--scheduler', scheduler],
        { encoding: 'utf8' },
      );
      expect(r.status).toBe(0);
      expect(r.stdout.split('\n')[0]).toMatch(/^Average Daily Temperature: \d+\.\d\d°C$/);
      expect(r.stdout).toContain('   station_id  temperature  temperature_fahrenheit\n0 ');
      expect(r.stderr).toMatch(/\n {6}total +\d+\.\d{3} s\n {6}peak RSS \d+ MB\n$/);
    },
  );

  it('the e-commerce notebook closes a processes pool and prints its summary', () => {
    const r = spawnSync(
      process.execPath,
      [
        ...[script('ecommerce'), '--rows', '20000', '--partitions', '4', '--chart', 'off'],
        ...['--scheduler', 'processes', '--random-size', '10000', '--random-chunk', '1000'],
      ],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/⚡ Mean of 1 Billion Random Numbers: 0\.\d{4}\n$/);
    expect(r.stderr).toMatch(/Close the scheduler: \d+\.\d{3} s/);
    expect(r.stderr).toMatch(/peak RSS \d+ MB\n$/);
  });

  it('the weather notebook starts a local cluster, runs on it and closes it', () => {
    const args = [script('weather'), '--rows', '20000', '--cluster', 'local', '--workers', '2'];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^Average Daily Temperature: \d+\.\d\d°C$/);
    expect(r.stdout).toContain('   station_id  temperature  temperature_fahrenheit\n0 ');
    expect(r.stderr).toContain('step timings (distributed, 2 worker(s))');
  });

  it('exits with 1 and a typed message on a bad option', () => {
    const r = spawnSync(process.execPath, [script('ecommerce'), '--rows', 'lots'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "InvalidArgumentError [E_INVALID_ARGUMENT]: --rows must be an integer >= 1 (e.g. 1000, 1_000_000 or 1e6), got 'lots'.\n",
    );
  });
});
