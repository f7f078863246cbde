/**
 * Where user code wrapped a function: the first frame of a stack trace outside tagcache (and,
 * when there is one, outside node_modules: `pipe` of fp-ts calls the data-last form).
 */

/** `path:line:column` of one stack line, or undefined. */
function locationOf(line: string): string | undefined {
  const m = /\((.*:\d+:\d+)\)\s*$/.exec(line) ?? /\bat (.*:\d+:\d+)\s*$/.exec(line);
  return m?.[1]?.replace(/^file:\/\//, '');
}

/** The folder of tagcache's own files (`lib/` in the sources, `dist/` in the package). */
function ownFolder(): string {
  const here = (new Error().stack ?? '')
    .split('\n')
    .map(locationOf)
    .find((l) => l !== undefined);
  if (here === undefined) return '\0';
  const dir = here.replace(/:\d+:\d+$/, '').replace(/[\\/][^\\/]*$/, '');
  return /[\\/]core$/.test(dir) ? dir.slice(0, -'/core'.length) : dir;
}

const OWN = ownFolder();

/** The place (`file:line:column`) that called into tagcache to wrap a function. */
export function wrapSite(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const outside = stack
    .split('\n')
    .slice(1)
    .map(locationOf)
    .filter((l): l is string => l !== undefined && !l.startsWith(OWN) && !l.startsWith('node:'));
  return outside.find((l) => !/[\\/]node_modules[\\/]/.test(l)) ?? outside[0] ?? 'an unknown place';
}
