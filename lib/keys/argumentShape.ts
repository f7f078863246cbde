/**
 * The `exclude` option: argument positions and fields of the first object argument left out of
 * the key.
 *
 * @packageDocumentation
 */

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/**
 * A function giving the arguments that make the key: without the excluded positions (numbers)
 * and without the excluded fields (strings) of the first argument when it is a plain object. The
 * arguments come back as they are, not copied, when there is nothing to exclude.
 */
export function argumentShaper(
  exclude: ReadonlyArray<number | string> | undefined,
): (args: readonly unknown[]) => readonly unknown[] {
  if (exclude === undefined || exclude.length === 0) return (args) => args;
  const positions = new Set(exclude.filter((e): e is number => typeof e === 'number'));
  const fields = exclude.filter((e): e is string => typeof e === 'string');
  return (args) => {
    const out: unknown[] = [];
    for (let i = 0; i < args.length; i++) {
      if (positions.has(i)) continue;
      const arg = args[i];
      if (i === 0 && fields.length > 0 && isPlainObject(arg)) {
        const kept: Record<string, unknown> = { ...arg };
        for (const f of fields) delete kept[f];
        out.push(kept);
      } else out.push(arg);
    }
    return out;
  };
}
