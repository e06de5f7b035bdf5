import { clipIntervals, mergeIntervals, subtractIntervals } from '../../../src/modules/availability/intervals';

const i = (start: number, end: number) => ({ start, end });

describe('mergeIntervals', () => {
  it('merges overlapping and touching intervals and drops empty ones', () => {
    expect(mergeIntervals([i(5, 7), i(0, 2), i(2, 3), i(6, 9), i(4, 4)])).toEqual([i(0, 3), i(5, 9)]);
  });
  it('keeps an interval contained in another once', () => {
    expect(mergeIntervals([i(0, 10), i(2, 3)])).toEqual([i(0, 10)]);
  });
});

describe('subtractIntervals', () => {
  it('cuts busy time out of free time', () => {
    expect(subtractIntervals([i(0, 10), i(20, 30)], [i(2, 4), i(8, 22), i(29, 40)])).toEqual([i(0, 2), i(4, 8), i(22, 29)]);
  });
  it('leaves nothing when everything is busy', () => {
    expect(subtractIntervals([i(0, 10)], [i(-5, 15)])).toEqual([]);
  });
  it('keeps adjacent busy time from removing anything', () => {
    expect(subtractIntervals([i(10, 20)], [i(0, 10), i(20, 30)])).toEqual([i(10, 20)]);
  });
});

describe('clipIntervals', () => {
  it('keeps only the part inside the bounds', () => {
    expect(clipIntervals([i(-5, 3), i(4, 6), i(9, 20), i(30, 40)], i(0, 10))).toEqual([i(0, 3), i(4, 6), i(9, 10)]);
  });
});
