import { compareStreamIds, nextStreamId, safeTrimId } from './trim.policy.js';

describe('trim policy', () => {
  it('orders stream ids numerically, not as text', () => {
    expect(compareStreamIds('9-0', '10-0')).toBe(-1);
    expect(compareStreamIds('10-2', '10-10')).toBe(-1);
    expect(compareStreamIds('10-10', '10-10')).toBe(0);
    expect(compareStreamIds('11-0', '10-99')).toBe(1);
  });

  it('gives the next id within the same millisecond', () => {
    expect(nextStreamId('1700000000000-7')).toBe('1700000000000-8');
    expect(nextStreamId('0-0')).toBe('0-1');
  });

  it('lets nothing limit trimming when the stream has no group', () => {
    expect(safeTrimId([])).toBeNull();
  });

  it('keeps everything after the last delivered entry of a group with nothing pending', () => {
    expect(safeTrimId([{ lastDeliveredId: '5-3', oldestPendingId: null }])).toBe('5-4');
  });

  it('keeps the oldest pending entry of a group', () => {
    expect(safeTrimId([{ lastDeliveredId: '9-0', oldestPendingId: '4-1' }])).toBe('4-1');
  });

  it('is bounded by the slowest group', () => {
    const groups = [
      { lastDeliveredId: '20-0', oldestPendingId: null },
      { lastDeliveredId: '12-0', oldestPendingId: '10-0' },
      { lastDeliveredId: '3-0', oldestPendingId: null },
    ];
    expect(safeTrimId(groups)).toBe('3-1');
  });

  it('keeps everything for a group that has read nothing yet', () => {
    expect(
      safeTrimId([
        { lastDeliveredId: '20-0', oldestPendingId: null },
        { lastDeliveredId: '0-0', oldestPendingId: null },
      ]),
    ).toBe('0-1');
  });
});
