/**
 * @fileoverview The errors the CLI knows how to print as one line (exit code 2). Anything else
 * is a bug and is re-thrown with its stack.
 */

/** Bad arguments or an unusable path: the user can fix it. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A configuration file that cannot be read or is invalid. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function isKnownError(error: unknown): error is UsageError | ConfigurationError {
  return error instanceof UsageError || error instanceof ConfigurationError;
}
