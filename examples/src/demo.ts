/**
 * A small demo until the notebooks land: Monte Carlo estimate of pi over many delayed
 * tasks, on the default scheduler (all cores once the thread scheduler is in).
 */
import { compute, config, delayed } from '@dusk/scheduler';

const SAMPLES_PER_TASK = 2_000_000;
const TASKS = 16;

// A seeded xorshift generator so every task draws its own reproducible stream.
const countInside = delayed(
  (seed: number, n: number) => {
    let s = seed >>> 0 || 1;
    const next = () => {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      return s / 4294967296;
    };
    let inside = 0;
    for (let i = 0; i < n; i++) {
      const x = next();
      const y = next();
      if (x * x + y * y <= 1) inside++;
    }
    return inside;
  },
  { pure: true, name: 'count-inside' },
);
const sum = delayed((xs: number[]) => xs.reduce((a, b) => a + b, 0), { pure: true, name: 'sum' });

const t0 = performance.now();
const counts = Array.from({ length: TASKS }, (_, i) => countInside(i + 1, SAMPLES_PER_TASK));
const [inside] = await compute(sum(counts));
const pi = (4 * (inside as number)) / (TASKS * SAMPLES_PER_TASK);
console.log(`pi ~ ${pi.toFixed(5)} from ${TASKS * SAMPLES_PER_TASK} samples`);
console.log(
  `scheduler: ${config.get('scheduler')}, ${((performance.now() - t0) / 1000).toFixed(2)} s`,
);
