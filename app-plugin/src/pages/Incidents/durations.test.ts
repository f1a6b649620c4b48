import { describe, expect, it } from 'vitest';
import { formatDuration, formatHours } from './durations';

describe('lead times as people say them', () => {
  it('rounds down to the minute, and names hours', () => {
    expect(formatDuration(7 * 3600 + 44 * 60 + 17)).toBe('7 h 44 min');
    expect(formatDuration(2 * 3600)).toBe('2 h');
    expect(formatDuration(12 * 60 + 59)).toBe('12 min');
    expect(formatDuration(40.5)).toBe('40 s');
    expect(formatDuration(null)).toBe('–');
    expect(formatHours(55 * 3600 + 1800)).toBe('55.5 h');
  });
});
