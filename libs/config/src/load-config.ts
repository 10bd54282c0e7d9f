import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EnvSchema } from './env.schema.js';

/** The validated, frozen configuration every app receives. */
export type AppConfig = Readonly<EnvSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the environment once into a typed, frozen object. Unknown variables are ignored; every
 * invalid one is listed in the thrown {@link ConfigError}.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<EnvSchema> = {}): AppConfig {
  const known = Object.keys(new EnvSchema());
  const present = Object.fromEntries(known.filter((key) => env[key] !== undefined).map((key) => [key, env[key]]));
  const config = Object.assign(plainToInstance(EnvSchema, present), overrides);
  const errors = validateSync(config, { forbidUnknownValues: false });
  const problems = errors.map((e) => `${e.property}=${JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`);
  if (problems.length === 0) {
    if (config.INTERNAL_API_KEY.trim() === '') config.INTERNAL_API_KEY = [...apiKeysOf(config)][0] ?? '';
    problems.push(...keyProblems(config));
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/**
 * The services call each other with INTERNAL_API_KEY and accept only API_KEYS (every app shares
 * both), so a key outside API_KEYS would have every checkout refused at its first call.
 */
function keyProblems(config: EnvSchema): string[] {
  const keys = apiKeysOf(config);
  if (keys.size === 0) return [`API_KEYS=${JSON.stringify(config.API_KEYS)}: names no key, so every request would be refused`];
  if (keys.has(config.INTERNAL_API_KEY.trim())) return [];
  return [
    `INTERNAL_API_KEY is not one of API_KEYS: the services call each other with INTERNAL_API_KEY and accept only API_KEYS, ` +
      `so every call between them would be refused (401). Add it to API_KEYS, or leave INTERNAL_API_KEY unset to use the first of API_KEYS`,
  ];
}

/** The API keys accepted by the X-API-Key guard. */
export function apiKeysOf(config: Pick<EnvSchema, 'API_KEYS'>): ReadonlySet<string> {
  return new Set(
    config.API_KEYS.split(',')
      .map((k) => k.trim())
      .filter(Boolean),
  );
}
