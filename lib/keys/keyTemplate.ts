/**
 * Key templates: `'user:{id}:profile'` (fields of the first object argument) and `'{0}:{1.page}'`
 * (argument positions, then property paths).
 *
 * @packageDocumentation
 */
import { InvalidKeyError, InvalidOptionsError } from '../errors.js';
import { rebaseKeyError } from './rebaseKeyError.js';
import { stableKey } from './stableKey.js';

/** One placeholder: an argument (a position, or the first argument for a field) and a path. */
interface Placeholder {
  readonly arg: number;
  readonly path: readonly string[];
  readonly source: string;
}

type Part = string | Placeholder;

const SEGMENT = /^(?:[A-Za-z_$][\w$]*|\d+)$/;
const SYNTAX = 'use {field}, {field.path}, {0} or {1.page} (and {{ or }} for a literal brace)';

function placeholderOf(body: string, at: number): Placeholder {
  const segments = body.split('.');
  if (!segments.every((s) => SEGMENT.test(s)))
    throw new InvalidOptionsError(
      'key',
      `unknown placeholder syntax "{${body}}" at position ${at} of the template; ${SYNTAX}`,
    );
  const head = segments[0] as string;
  if (/^\d+$/.test(head)) return { arg: Number(head), path: segments.slice(1), source: body };
  return { arg: 0, path: segments, source: body };
}

/** Splits a template into literal text and placeholders; throws InvalidOptionsError on bad syntax. */
function parse(template: string): Part[] {
  const parts: Part[] = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    if ((c === '{' || c === '}') && template[i + 1] === c) {
      text += c;
      i += 1;
    } else if (c === '}') {
      throw new InvalidOptionsError('key', `unmatched "}" at position ${i} of the template; ${SYNTAX}`);
    } else if (c === '{') {
      const end = template.indexOf('}', i + 1);
      if (end < 0)
        throw new InvalidOptionsError('key', `unclosed "{" at position ${i} of the template; ${SYNTAX}`);
      if (text !== '') parts.push(text);
      text = '';
      parts.push(placeholderOf(template.slice(i + 1, end), i));
      i = end;
    } else text += c;
  }
  if (text !== '') parts.push(text);
  return parts;
}

function render(value: unknown, where: string): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
    case 'undefined':
      return String(value);
    default:
      if (value === null) return 'null';
      try {
        return stableKey([value]);
      } catch (e) {
        throw rebaseKeyError(e, where);
      }
  }
}

function resolve(p: Placeholder, args: readonly unknown[]): string {
  let value: unknown = args[p.arg];
  let where = `argument ${p.arg}`;
  for (const step of p.path) {
    if (typeof value !== 'object' || value === null || !(step in value))
      throw new InvalidKeyError(
        where,
        `the key template reads {${p.source}}, but ${where} has no property "${step}"`,
      );
    value = (value as Record<string, unknown>)[step];
    where += `.${step}`;
  }
  return render(value, where);
}

/**
 * Compiles a key template into a function of the arguments giving the key material. The syntax
 * is checked here (wrap time): an unknown placeholder, an unclosed `{` or a stray `}` throws
 * InvalidOptionsError for `key`. At call time a placeholder naming a property the argument does
 * not have throws InvalidKeyError (a misspelt field must not make every call share one entry);
 * a property that is present but `undefined` renders as `undefined`. Strings render as they are,
 * numbers, booleans and bigints with `String`, objects in their canonical form.
 */
export function compileKeyTemplate(template: string): (args: readonly unknown[]) => string {
  const parts = parse(template);
  return (args) => {
    let out = '';
    for (const part of parts) out += typeof part === 'string' ? part : resolve(part, args);
    return out;
  };
}
