import { safeTrimId } from './trim.policy.js';

describe('trim policy', () => {
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
