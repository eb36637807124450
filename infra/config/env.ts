/** The environment variables the service reads, validated with {@link EnvSchema}. */
import { ConfigError, type ConfigProblem } from './problems.js';
import { EnvSchema, type EnvConfig } from './schema.js';

/** Variables whose values are never echoed in a problem. */
const SECRET_VARIABLE = /SECRET|API_KEY|TOKEN|PASSWORD/;

/**
 * Validates the variables {@link EnvSchema} knows (unset and empty ones take their defaults).
 * @throws {ConfigError} naming every bad variable (never echoing a secret's value).
 */
export function parseEnv(env: Readonly<Record<string, string | undefined>>): EnvConfig {
  const envInput: Record<string, string> = {};
  for (const key of Object.keys(EnvSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') envInput[key] = value;
  }
  const parsedEnv = EnvSchema.safeParse(envInput);
  if (parsedEnv.success) return parsedEnv.data;
  const problems: ConfigProblem[] = [];
  for (const issue of parsedEnv.error.issues) {
    const name = String(issue.path[0] ?? 'environment');
    const got = envInput[name];
    const shown = got === undefined || SECRET_VARIABLE.test(name) ? '' : ` (got ${JSON.stringify(got)})`;
    problems.push({ where: name, message: `${issue.message}${shown}` });
  }
  throw new ConfigError(problems);
}
