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
