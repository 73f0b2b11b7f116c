import { describe, expect, it } from 'vitest';
import { DEFAULT_OUT, parseCount, parseNotebookArgs } from '../../dist/notebook/options.js';

const defaults = { rows: 50_000_000, partitions: 50, extra: { 'random-size': 1e9 } };

describe('parseNotebookArgs', () => {
  it('gives the defaults with no arguments', () => {
    const o = parseNotebookArgs([], defaults);
    expect(o).toMatchObject({
      rows: 50_000_000,
      partitions: 50,
      scheduler: 'threads',
      workers: undefined,
      seed: 42,
      out: DEFAULT_OUT,
      chart: 'on',
      progress: 'auto',
      help: false,
      extra: { 'random-size': 1e9 },
    });
    expect(DEFAULT_OUT).toMatch(/examples[/\\]out$/);
  });

  it('reads every option, in the spellings a user types', () => {
    const o = parseNotebookArgs(
      [
        '--rows=1e6',
        '--partitions',
        '10',
        '--scheduler',
        'sync',
        '--workers',
        '3',
        '--seed',
        '7',
        '--chart',
        'off',
        '--progress',
        'on',
        '--random-size',
        '2_000_000',
      ],
      defaults,
    );
    expect(o).toMatchObject({
      rows: 1_000_000,
      partitions: 10,
      scheduler: 'sync',
      workers: 3,
      seed: 7,
      chart: 'off',
      progress: 'on',
      extra: { 'random-size': 2_000_000 },
    });
  });

  it('refuses bad values with the option named', () => {
    expect(() => parseNotebookArgs(['--rows', 'many'], defaults)).toThrow(
      expect.objectContaining({
        code: 'E_INVALID_ARGUMENT',
        message: expect.stringMatching(/--rows must be an integer >= 1/),
      }),
    );
    expect(() => parseNotebookArgs(['--rows', '10', '--partitions', '20'], defaults)).toThrow(
      /--partitions \(20\) must not exceed --rows \(10\)/,
    );
    expect(() => parseNotebookArgs(['--chart', 'maybe'], defaults)).toThrow(
      /--chart must be on or off/,
    );
    expect(() => parseNotebookArgs(['--bogus'], defaults)).toThrow(/bogus/);
    expect(() => parseCount('rows', '1.5')).toThrow(/got '1.5'/);
  });
});

describe('--scheduler', () => {
  it('accepts the registered schedulers and refuses others, listing them', () => {
    expect(parseNotebookArgs(['--scheduler', 'sync'], defaults).scheduler).toBe('sync');
    expect(() => parseNotebookArgs(['--scheduler', 'nope'], defaults)).toThrow(
      /--scheduler must be one of sync, threads, processes.*got 'nope'/,
    );
  });
});

describe('--scheduler distributed, --address and --cluster', () => {
  const parse = (args: string[]) => parseNotebookArgs(args, defaults);

  it('takes an address for the distributed scheduler, or starts a local cluster', () => {
    const remote = parse(['--scheduler', 'distributed', '--address', 'ws://10.0.0.5:8786']);
    expect(remote).toMatchObject({ scheduler: 'distributed', address: 'ws://10.0.0.5:8786' });
    expect(remote.cluster).toBeUndefined();
    expect(parse(['--cluster', 'local'])).toMatchObject({
      scheduler: 'distributed',
      cluster: 'local',
      address: undefined,
    });
    expect(parse(['--cluster', 'local', '--scheduler', 'distributed']).cluster).toBe('local');
  });

  it('refuses combinations that cannot mean anything, saying what to do', () => {
    expect(() => parse(['--scheduler', 'distributed'])).toThrow(/needs --address ws:\/\/HOST:PORT/);
    expect(() => parse(['--cluster', 'remote'])).toThrow("--cluster takes 'local', got 'remote'.");
    expect(() => parse(['--cluster', 'local', '--scheduler', 'threads'])).toThrow(
      /drop --scheduler threads/,
    );
    expect(() => parse(['--address', 'ws://h:1'])).toThrow(
      /--address is for --scheduler distributed/,
    );
  });
});
