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
  if (errors.length > 0) {
    throw new ConfigError(errors.map((e) => `${e.property}=${JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`));
  }
  return Object.freeze(config);
}

/** The API keys accepted by the X-API-Key guard. */
export const apiKeysOf = (config: AppConfig): ReadonlySet<string> =>
  new Set(
    config.API_KEYS.split(',')
      .map((k) => k.trim())
      .filter(Boolean),
  );
