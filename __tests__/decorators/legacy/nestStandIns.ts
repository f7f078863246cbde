/**
 * Stand-ins for NestJS's `@Injectable()`, `@Inject(token)` and its container, enough to build a
 * provider the way a NestJS application does (legacy decorators, constructor injection),
 * without depending on NestJS.
 */
type Token = string | symbol | (abstract new (...args: never[]) => unknown);
type Ctor = new (...args: never[]) => unknown;

const injectable = new WeakSet<object>();
const parameters = new WeakMap<object, Token[]>();

/** Marks a class as a provider the container may build. */
export function Injectable(): ClassDecorator {
  return (target) => {
    injectable.add(target);
  };
}

/** Names what the container passes for one constructor parameter. */
export function Inject(token: Token): ParameterDecorator {
  return (target, _member, index) => {
    const list = parameters.get(target) ?? [];
    list[index] = token;
    parameters.set(target, list);
  };
}

/** Resolves providers as singletons, injecting their constructor parameters. */
export class Container {
  private readonly instances = new Map<Token, unknown>();

  constructor(values: ReadonlyArray<readonly [Token, unknown]> = []) {
    for (const [token, value] of values) this.instances.set(token, value);
  }

  get<T>(token: abstract new (...args: never[]) => T): T;
  get(token: Token): unknown;
  get(token: Token): unknown {
    if (this.instances.has(token)) return this.instances.get(token);
    if (typeof token !== 'function' || !injectable.has(token))
      throw new Error(`no provider for ${String(typeof token === 'function' ? token.name : token)}`);
    const deps = (parameters.get(token) ?? []).map((t) => this.get(t));
    const instance = new (token as unknown as Ctor)(...(deps as never[]));
    this.instances.set(token, instance);
    return instance;
  }
}
