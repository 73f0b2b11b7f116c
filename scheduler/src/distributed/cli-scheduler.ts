#!/usr/bin/env node
/** `dusk-scheduler`: runs a scheduler server until interrupted. */
import { parseSchedulerArgs } from './cli-args.js';
import { SchedulerServer } from './server.js';

try {
  const opts = parseSchedulerArgs(process.argv.slice(2));
  const server = await SchedulerServer.start(opts);
  const open = !opts.token && opts.host !== undefined && opts.host !== '127.0.0.1';
  const host = opts.host ?? (opts.token ? '0.0.0.0' : '127.0.0.1');
  process.stderr.write(`[dusk-scheduler] listening on ${host}:${server.port}\n`);
  if (open) {
    process.stderr.write(
      '[dusk-scheduler] no --token: anyone who reaches this port can join as a worker; clients ' +
        'from other machines may run exported functions only. Set --token on a shared network.\n',
    );
  }
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (e) {
  process.stderr.write(`dusk-scheduler: ${(e as Error).message}\n`);
  process.exit(1);
}
