/** The layering rules of the monorepo: apps never import apps, libs never import apps, no cycles. */
module.exports = {
  forbidden: [
    {
      name: 'app-imports-other-app',
      severity: 'error',
      comment: 'Apps talk over HTTP or the bus, never through imports.',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'lib-imports-app',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'lib-imports-own-barrel',
      severity: 'error',
      comment: 'Inside a lib, import the file, not the lib index.',
      from: { path: '^libs/([^/]+)/src/.+' },
      to: { path: '^libs/$1/src/index\\.ts$' },
    },
    {
      name: 'production-imports-testing',
      severity: 'error',
      comment: 'Test helpers stay out of what ships.',
      from: { path: '^(apps|libs)/', pathNot: '(\\.spec|\\.int-spec|\\.e2e-spec)\\.ts$|^libs/testing/' },
      to: { path: '^libs/testing/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
