import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/**
 * The console's templates and browser files: beside the sources (`apps/console/views`), also when
 * running from `dist/apps/console/src`, which the compiler fills with JavaScript only.
 */
function consoleDir(): string {
  const candidates = [resolve(import.meta.dirname, '../..'), resolve(import.meta.dirname, '../../../../../apps/console')];
  const found = candidates.find((dir) => existsSync(join(dir, 'views')));
  if (found === undefined) throw new Error(`The console's views are in none of ${candidates.join(', ')}`);
  return found;
}

const require = createRequire(import.meta.url);
/** The `dist` folder of a package, found from its main entry (not every package exports its other files). */
const distOf = (name: string): string => join(dirname(require.resolve(name)).replace(/[/\\]dist[/\\].*$/, '/dist'));

/** Where each asset comes from: our own files, and the libraries' browser builds from node_modules (no CDN). */
export const consoleAssets = () => {
  const root = consoleDir();
  return {
    views: join(root, 'views'),
    public: join(root, 'public'),
    vendor: {
      'htmx.min.js': join(distOf('htmx.org'), 'htmx.min.js'),
      'chart.umd.min.js': join(distOf('chart.js'), 'chart.umd.min.js'),
      'mermaid.min.js': join(distOf('mermaid'), 'mermaid.min.js'),
    },
  };
};
