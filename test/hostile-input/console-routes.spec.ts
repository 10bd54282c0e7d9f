import { ROOT } from '@app/testing';
import { CONSOLE_ROUTES } from './console-routes.js';
import { declaredRoutes } from './declared-routes.js';

describe('the console’s routes', () => {
  it('are all known to the console’s sweep (a new page or action must join it)', async () => {
    expect(CONSOLE_ROUTES.map((r) => `${r.method} ${r.path}`).sort()).toEqual(await declaredRoutes(ROOT, ['console']));
  });
});
