/** A TC39 decorator context, as far as the decorators here read it. */
export interface StandardContext {
  readonly kind: string;
  readonly name: string | symbol;
  readonly static: boolean;
}

/** How a decorator was applied: TC39 (TypeScript 5+, no flag) or legacy (`experimentalDecorators`). */
export type DecoratorCall =
  | { readonly form: 'standard'; readonly value: unknown; readonly context: StandardContext }
  | {
      readonly form: 'legacy';
      readonly target: object;
      readonly member: string | symbol;
      readonly descriptor: PropertyDescriptor;
    };

/**
 * Tells the two decorator forms apart from the arguments the runtime passed: TC39 gives
 * `(value, context)` with `context.kind`; legacy gives `(target, member, descriptor)`.
 */
export function decoratorCall(decorator: string, args: readonly unknown[]): DecoratorCall {
  const [first, second, third] = args;
  if (typeof second === 'object' && second !== null && 'kind' in second)
    return { form: 'standard', value: first, context: second as StandardContext };
  if (
    (typeof second === 'string' || typeof second === 'symbol') &&
    typeof third === 'object' &&
    third !== null
  )
    return {
      form: 'legacy',
      target: first as object,
      member: second,
      descriptor: third as PropertyDescriptor,
    };
  if (typeof first === 'function' && second === undefined)
    throw new TypeError(
      `${decorator} is a decorator factory: write ${decorator}() or ${decorator}({ … }), with parentheses`,
    );
  throw new TypeError(`${decorator}: unsupported decorator call (a method or getter of a class is expected)`);
}

/** The class name the legacy form knows at once: `target` is the prototype, or the class for a static member. */
export function legacyOwner(target: object): string {
  const named: unknown =
    typeof target === 'function'
      ? target.name
      : (target as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof named === 'string' && named !== '' ? named : 'anonymous';
}

/** A member name as text (`Symbol(x)` for symbols). */
export function memberName(member: string | symbol): string {
  return typeof member === 'string' ? member : member.toString();
}

/**
 * A decorator of async methods in both the TC39 form (TypeScript 5+, no flag) and the legacy
 * `experimentalDecorators` one (NestJS); the method keeps its type. What `@cached(…)` and
 * `@invalidates(…)` return.
 */
export interface AsyncMethodDecorator<This, A extends unknown[], R> {
  <T extends This, M extends (this: T, ...args: [...A, ...never[]]) => Promise<R>>(
    value: M,
    context: ClassMethodDecoratorContext<T, M>,
  ): M;
  <M extends (...args: [...A, ...never[]]) => Promise<R>>(
    target: object,
    member: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): TypedPropertyDescriptor<M>;
}
