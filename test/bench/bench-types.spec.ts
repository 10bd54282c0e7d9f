import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/**
 * The bench is JavaScript that node runs without a build; its JSDoc types are checked here, as
 * strictly as the TypeScript of the apps, so they cannot drift from the code.
 */
describe('the bench scripts', () => {
  it('type-check under strict rules', () => {
    const dir = import.meta.dirname;
    const files = readdirSync(dir)
      .filter((file) => file.endsWith('.mjs'))
      .map((file) => join(dir, file));
    const program = ts.createProgram(files, {
      allowJs: true,
      checkJs: true,
      noEmit: true,
      strict: true,
      noUncheckedIndexedAccess: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2023,
      skipLibCheck: true,
      types: ['node'],
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file === undefined || d.file.fileName.startsWith(dir))
      .map((d) => `${d.file?.fileName.slice(dir.length + 1) ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(files.length).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });
});
