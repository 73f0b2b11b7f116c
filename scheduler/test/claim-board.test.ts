// The claim board: who runs a task sent to a worker, that worker or a thief.
import { describe, expect, it } from 'vitest';
import { arm, claim, createBoard, revoke } from '../src/local/claim-board.js';

describe('claim board', () => {
  it('lets the first of claim and revoke win, once', () => {
    const board = createBoard(2);
    expect(board.buffer).toBeInstanceOf(SharedArrayBuffer);
    arm(board, 0, 1);
    arm(board, 1, 1);
    expect(claim(board, 0, 1)).toBe(true);
    expect(revoke(board, 0, 1)).toBe(false);
    expect(revoke(board, 1, 1)).toBe(true);
    expect(claim(board, 1, 1)).toBe(false);
    expect(claim(board, 0, 1)).toBe(false);
  });

  it('refuses a late claim of an earlier send once the task was sent again', () => {
    const board = createBoard(1);
    arm(board, 0, 1);
    expect(revoke(board, 0, 1)).toBe(true);
    arm(board, 0, 2); // sent to the thief
    expect(claim(board, 0, 1)).toBe(false); // the old worker gets to it late
    expect(claim(board, 0, 2)).toBe(true);
  });
});
