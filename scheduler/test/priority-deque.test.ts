import { describe, expect, it } from 'vitest';
import { PriorityDeque } from '../src/local/priority-deque.js';

describe('PriorityDeque', () => {
  it('pops the smallest from the front and the largest from the back', () => {
    const d = new PriorityDeque();
    for (const x of [5, 1, 9, 3, 7]) d.push(x);
    expect(d.popFront()).toBe(1);
    expect(d.popBack()).toBe(9);
    expect(d.popFront()).toBe(3);
    expect(d.popBack()).toBe(7);
    expect(d.size).toBe(1);
    expect(d.popBack()).toBe(5);
    expect(d.popFront()).toBeUndefined();
    expect(d.popBack()).toBeUndefined();
  });

  it('matches a sorted list under a random mix of pushes and pops at both ends', () => {
    const d = new PriorityDeque();
    const ref: number[] = [];
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let step = 0; step < 5000; step++) {
      const r = rand();
      if (r < 0.5) {
        const x = Math.floor(rand() * 1000);
        if (!ref.includes(x)) ref.push(x);
        d.push(x);
      } else if (r < 0.75) {
        ref.sort((a, b) => a - b);
        expect(d.popFront()).toBe(ref.shift());
      } else {
        ref.sort((a, b) => a - b);
        expect(d.popBack()).toBe(ref.pop());
      }
      expect(d.size).toBe(ref.length);
    }
    expect(d.values().sort((a, b) => a - b)).toEqual(ref.sort((a, b) => a - b));
  });

  it('can take an index back after it was popped', () => {
    const d = new PriorityDeque();
    d.push(2);
    d.push(4);
    expect(d.popFront()).toBe(2);
    d.push(2);
    expect(d.popBack()).toBe(4);
    expect(d.popBack()).toBe(2);
    expect(d.popFront()).toBeUndefined();
  });
});
