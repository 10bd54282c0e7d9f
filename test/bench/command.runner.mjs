// @ts-check

/**
 * Runs a bench command's `main` and exits with its code: 2, with the message alone, when it throws
 * (a bad option, a system that does not answer), so the shell sees no stack for a user's mistake.
 * @param {() => Promise<number>} main
 */
export function runCommand(main) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}

/**
 * How the command was run, to print in its report: `npm run <script> -- ...` when npm ran it, else
 * `node <file> ...`, each argument quoted for a POSIX shell when it needs to be.
 * @param {string} npmScript
 * @param {string} file relative to the repository
 */
export function commandLineOf(npmScript, file) {
  const args = process.argv.slice(2).map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`));
  if (process.env['npm_lifecycle_event'] === npmScript) return [`npm run ${npmScript}`, ...(args.length > 0 ? ['--', ...args] : [])].join(' ');
  return [`node ${file}`, ...args].join(' ');
}
