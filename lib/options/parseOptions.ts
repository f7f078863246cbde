import type { z } from 'zod';
import { InvalidOptionsError } from '../errors.js';

/**
 * Validates `input` with `schema`, throwing {@link InvalidOptionsError} that names the first bad
 * option and what was expected.
 */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, where: string): void {
  if (input === undefined) return;
  if (typeof input !== 'object' || input === null)
    throw new InvalidOptionsError(where, 'expected an options object');
  const result = schema.safeParse(input);
  if (result.success) return;
  const issue = deepest(result.error.issues[0]);
  if (issue === undefined) throw new InvalidOptionsError(where, 'invalid options');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '?';
    throw new InvalidOptionsError(key, `unknown option of ${where}`);
  }
  const option = issue.path.map(String).join('.') || where;
  throw new InvalidOptionsError(option, `${issue.message}; got ${describe(valueAt(input, issue.path))}`);
}

type Issue = z.core.$ZodIssue;

/** For a union whose branches failed deeper (`lock: { ttl: 'soon' }`), the issue of that branch. */
function deepest(issue: Issue | undefined): Issue | undefined {
  if (issue === undefined || issue.code !== 'invalid_union') return issue;
  for (const branch of issue.errors) {
    const inner = branch[0];
    if (inner !== undefined && inner.path.length > 0 && inner.code !== 'invalid_type')
      return { ...inner, path: [...issue.path, ...inner.path] } as Issue;
  }
  return issue;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path)
    v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function describe(v: unknown): string {
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'bigint') return `${v}n`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
