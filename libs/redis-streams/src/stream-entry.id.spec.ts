import { compareEntryIds, nextEntryId } from './stream-entry.id.js';

describe('stream entry ids', () => {
  it('orders ids numerically, not as text', () => {
    expect(compareEntryIds('9-0', '10-0')).toBe(-1);
    expect(compareEntryIds('10-2', '10-10')).toBe(-1);
    expect(compareEntryIds('10-10', '10-10')).toBe(0);
    expect(compareEntryIds('11-0', '10-99')).toBe(1);
    expect(compareEntryIds('010-1', '10-1')).toBe(0);
  });

  it('orders ids beyond 2^53 exactly', () => {
    expect(compareEntryIds('1-18446744073709551614', '1-18446744073709551615')).toBe(-1);
    expect(compareEntryIds('18446744073709551615-0', '18446744073709551614-9')).toBe(1);
  });

  it('sorts a batch of entries back into stream order', () => {
    const ids = ['1732350000001-0', '1732350000000-10', '1732350000000-2', '999999999999-5', '1732350000000-9'];
    expect([...ids].sort(compareEntryIds)).toEqual(['999999999999-5', '1732350000000-2', '1732350000000-9', '1732350000000-10', '1732350000001-0']);
  });

  it('refuses what is not an entry id', () => {
    expect(() => compareEntryIds('10-0', 'latest')).toThrow('Not a stream entry id: "latest"');
  });

  it('gives the next id within the same millisecond', () => {
    expect(nextEntryId('1700000000000-7')).toBe('1700000000000-8');
    expect(nextEntryId('0-0')).toBe('0-1');
    expect(nextEntryId('5-18446744073709551615')).toBe('5-18446744073709551616');
  });
});
