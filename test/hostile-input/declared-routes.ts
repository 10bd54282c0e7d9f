import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** `METHOD /path` of every route the controllers of `apps` declare, read from their sources. */
export async function declaredRoutes(root: string, apps: readonly string[]): Promise<string[]> {
  const entries = await readdir(join(root, 'apps'), { withFileTypes: true, recursive: true });
  const controllers = entries.filter(
    (e) => e.isFile() && e.name.endsWith('.controller.ts') && apps.some((app) => e.parentPath.startsWith(join(root, 'apps', app, 'src'))),
  );
  const routes: string[] = [];
  for (const file of controllers) {
    const source = await readFile(join(file.parentPath, file.name), 'utf8');
    const base = /@Controller\(\s*'([^']*)'\s*\)/.exec(source)?.[1] ?? '';
    for (const [, method, path = ''] of source.matchAll(/@(Get|Post|Put|Patch|Delete)\(\s*(?:'([^']*)')?\s*\)/g)) {
      routes.push(`${method!.toUpperCase()} /${[base, path].filter((part) => part !== '').join('/')}`);
    }
  }
  return routes.sort();
}
