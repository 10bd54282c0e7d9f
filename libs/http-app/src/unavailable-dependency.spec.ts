import { isUnavailableDependency } from './unavailable-dependency.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isUnavailableDependency', () => {
  it.each([
    ['a terminated backend (57P01)', withCode('terminating connection due to administrator command', '57P01')],
    ['a connection exception (08006)', withCode('connection failure', '08006')],
    ['too many connections (53300)', withCode('sorry, too many clients already', '53300')],
    ['a TypeORM wrapper of one', Object.assign(new Error('query failed'), { driverError: { code: '57P01' } })],
    ['a dropped socket', new Error('Connection terminated unexpectedly')],
    ['a refused connection', new Error('connect ECONNREFUSED 127.0.0.1:5432')],
    [
      'a released query runner',
      Object.assign(new Error('Database connection provided by a query runner was already released'), { name: 'QueryRunnerProviderAlreadyReleasedError' }),
    ],
  ])('recognises %s', (_, error) => expect(isUnavailableDependency(error)).toBe(true));

  it.each([
    ['a unique violation (23505)', withCode('duplicate key value violates unique constraint', '23505')],
    ['a syntax error (42601)', withCode('syntax error at or near', '42601')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'sku')")],
    ['not an error', 'Connection terminated'],
  ])('does not take %s for an outage', (_, error) => expect(isUnavailableDependency(error)).toBe(false));
});
