/**
 * A logger object: `console`, a pino or winston logger, or anything with these methods. Warnings
 * (store failures, circuit changes) go to `warn`, debug lines (`createCache({ debug: true })`) to
 * `debug`, else `info`, else `warn`. Methods are called on the object (`logger.warn(line)`), so
 * pino's bound methods work.
 *
 * @example
 * ```ts
 * const logger: LoggerObject = { warn: (l) => console.warn(l), debug: (l) => console.debug(l) };
 * ```
 */
export interface LoggerObject {
  warn(line: string): void;
  info?(line: string): void;
  debug?(line: string): void;
}

/**
 * Where tagcache writes its log lines: a function (every line goes to it) or a
 * {@link LoggerObject} such as `console` or a pino logger.
 *
 * @example
 * ```ts
 * createCache({ logger: console });
 * createCache({ logger: (line) => process.stderr.write(line + '\n') });
 * ```
 */
export type Logger = ((line: string) => void) | LoggerObject;

/** A logger reduced to the two levels tagcache writes (internal). */
export interface LogLevels {
  readonly warn: (line: string) => void;
  readonly debug: (line: string) => void;
}

/**
 * The levels of `logger`; `undefined` (the default) is `console`, `false` logs nothing.
 */
export function logLevels(logger: Logger | false | undefined): LogLevels | undefined {
  if (logger === false) return undefined;
  if (typeof logger === 'function') return { warn: logger, debug: logger };
  const target: LoggerObject = logger ?? console;
  const debug =
    typeof target.debug === 'function'
      ? (line: string) => target.debug?.(line)
      : typeof target.info === 'function'
        ? (line: string) => target.info?.(line)
        : (line: string) => target.warn(line);
  return { warn: (line) => target.warn(line), debug };
}
