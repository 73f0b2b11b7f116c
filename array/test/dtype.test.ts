import { DTYPES, itemsize, promoteTypes } from '@dusk/array';
import { describe, expect, it } from 'vitest';

describe('promoteTypes', () => {
  it('follows NumPy result_type for the common cases', () => {
    expect(promoteTypes('int8', 'uint8')).toBe('int16');
    expect(promoteTypes('int16', 'uint16')).toBe('int32');
    expect(promoteTypes('int32', 'uint32')).toBe('float64');
    expect(promoteTypes('int32', 'int8')).toBe('int32');
    expect(promoteTypes('uint8', 'uint32')).toBe('uint32');
    expect(promoteTypes('float32', 'int16')).toBe('float32');
    expect(promoteTypes('float32', 'int32')).toBe('float64');
    expect(promoteTypes('bool', 'int8')).toBe('int8');
    expect(promoteTypes('float64', 'float32')).toBe('float64');
    expect(promoteTypes('int64', 'int64')).toBe('int64');
  });

  it('names both dtypes when they do not mix', () => {
    expect(() => promoteTypes('int64', 'float64', 'concatenate')).toThrow(
      /concatenate: mismatched dtypes int64 and float64/,
    );
    expect(() => promoteTypes('uint64', 'int64')).toThrowError(
      expect.objectContaining({ code: 'E_DTYPE' }),
    );
  });

  it('knows every dtype size', () => {
    expect(DTYPES.map(itemsize)).toEqual([8, 4, 4, 2, 1, 4, 2, 1, 1, 8, 8]);
  });
});
