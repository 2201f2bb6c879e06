/** @module The error every configuration problem becomes: it names the variables, never their values. */

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** A ConfigError in loadConfig's format: `Invalid configuration:` then one indented line per problem. */
export const invalidConfig = (lines: string[]) =>
  new ConfigError(`Invalid configuration:\n${lines.map((line) => `  ${line}`).join('\n')}`);
