/**
 * Glob patterns as Redis `SCAN MATCH` reads them, for the in-process stores: `*` any run of
 * characters, `?` one character, `[abc]`, `[^a]`, `[a-z]` a set, `\x` the character `x`.
 *
 * @packageDocumentation
 */

const MAX_CACHED = 256;
const compiled = new Map<string, RegExp>();

const escapeRegExp = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** The regular-expression text of a `[…]` set starting at `i` (after the `[`), and where it ends. */
function setAt(pattern: string, i: number): [string, number] {
  let out = '[';
  let j = i;
  if (pattern[j] === '^') {
    out += '^';
    j++;
  }
  for (; j < pattern.length && pattern[j] !== ']'; j++) {
    const c = pattern[j] as string;
    if (c === '\\' && j + 1 < pattern.length) out += escapeRegExp(pattern[++j] as string);
    else if (c === '-' && out.length > 1 && pattern[j + 1] !== ']') out += '-';
    else out += escapeRegExp(c);
  }
  return [out + ']', j];
}

function compile(pattern: string): RegExp {
  let src = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') src += '[\\s\\S]*';
    else if (c === '?') src += '[\\s\\S]';
    else if (c === '\\' && i + 1 < pattern.length) src += escapeRegExp(pattern[++i] as string);
    else if (c === '[' && pattern.indexOf(']', i + 1) > i) {
      const [set, end] = setAt(pattern, i + 1);
      src += set;
      i = end;
    } else src += escapeRegExp(c);
  }
  return new RegExp(src + '$');
}

/**
 * Whether `key` matches the glob `pattern` (Redis `MATCH` rules).
 */
export function globMatch(pattern: string, key: string): boolean {
  let re = compiled.get(pattern);
  if (re === undefined) {
    re = compile(pattern);
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(pattern, re);
  }
  return re.test(key);
}

/**
 * Escapes the glob characters of `text`, so that it matches only itself.
 */
export function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => '\\' + c);
}
