/**
 * Every `@example` of a public export (the entries' exports) type-checks against the library,
 * as a user would write it (`import … from 'tagcache'`), with a prelude declaring the free
 * identifiers examples assume (`db`, `fetchUser`, …). Examples whose lines are plain claims
 * (`entityTag('user', 42); // 'user:42'`) and need no free identifier also run, and each claim
 * must hold. Private helpers of the folders listed below carry no `@example`.
 */
import { isDeepStrictEqual } from 'node:util';
import { join, relative } from 'node:path';
import ts from 'typescript';
import * as tagcache from '../../lib/index.js';
import * as testing from '../../lib/testing/index.js';

const ROOT = join(__dirname, '..', '..');
const ENTRIES = {
  tagcache: 'lib/index.ts',
  'tagcache/testing': 'lib/testing/index.ts',
  'tagcache/redis': 'lib/redis.ts',
  'tagcache/otel': 'lib/otel.ts',
} as const;
type Entry = keyof typeof ENTRIES;
/** Folders whose private helpers must not carry examples (the others belong to other owners). */
const NO_PRIVATE_EXAMPLES = [
  'lib/core/',
  'lib/options/',
  'lib/invalidation/',
  'lib/entities/',
  'lib/keys/',
  'lib/events/',
  'lib/testing/',
  'lib/tags/',
  'lib/kv/',
  'lib/batch/',
  'lib/decorators/',
  'lib/sync/',
  'lib/metrics/',
  'lib/config/',
  'lib/otel/',
  'lib/errors.ts',
];

/** Free identifiers the examples assume; declared, never run. */
const PRELUDE = `
interface User { id: number; name: string; email?: string }
interface Post { id: number; authorId: number; title: string }
declare const db: any;
declare function fetchUser(id: number): Promise<User>;
declare function fetchPost(id: number): Promise<Post>;
declare function fetchPosts(userId: number): Promise<Post[]>;
declare function fetchOrder(id: number): Promise<{ id: number; items: { product: { sku: string } }[] }>;
declare function fetchRates(): Promise<Record<string, number>>;
declare function fetchRate(pair: string): Promise<{ volatile: boolean; value: number }>;
declare function fetchThing(): Promise<unknown>;
declare function runSearch(q: { text: string; page: number }): Promise<string[]>;
declare function myStore(options?: { url?: string | undefined }): Store;
declare const repo: { getPosts(userId: number): Promise<Post[]> };
declare const getUser: Cached<[id: number], User>;
declare const store: Store<string>;
declare const ns: string;
declare const pino: { warn(line: string): void };
declare const log: { warn(error: unknown): void };
declare const createClient: typeof import('redis').createClient;
declare const createCluster: typeof import('redis').createCluster;
declare const client: RedisClientLike;
declare function fn(id: number): Promise<number>;
declare const getThing: Cached<[arg: unknown], number>;
declare const e: unknown;
`;
const FREE = [
  'db',
  'fetchUser',
  'fetchPost',
  'fetchPosts',
  'fetchOrder',
  'fetchRates',
  'fetchRate',
  'fetchThing',
  'runSearch',
  'myStore',
  'repo',
  'getUser',
  'store',
  'ns',
  'pino',
  'log',
  'createClient',
  'createCluster',
  'client',
  'fn',
  'getThing',
  'e',
];

interface Example {
  readonly where: string;
  readonly code: string;
}

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts'],
  types: ['node'],
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  skipLibCheck: true,
  paths: Object.fromEntries(Object.entries(ENTRIES).map(([k, v]) => [k, [join(ROOT, v)]])),
};
const program = ts.createProgram(
  Object.values(ENTRIES).map((f) => join(ROOT, f)),
  OPTIONS,
);
const checker = program.getTypeChecker();

function fences(text: string): string[] {
  return [...text.matchAll(/```(?:ts|typescript)\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

function examplesOf(node: ts.Node): string[] {
  return ts
    .getJSDocTags(node)
    .filter((t) => t.tagName.text === 'example')
    .flatMap((t) => fences(ts.getTextOfJSDocComment(t.comment) ?? ''));
}

/** Public names per entry, and the examples of their declarations. */
function publicSurface(): {
  names: Record<Entry, string[]>;
  examples: Example[];
  declarations: Set<ts.Node>;
} {
  const names = {} as Record<Entry, string[]>;
  const examples: Example[] = [];
  const declarations = new Set<ts.Node>();
  for (const [entry, file] of Object.entries(ENTRIES) as [Entry, string][]) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(join(ROOT, file))!)!;
    names[entry] = [];
    for (const exported of checker.getExportsOfModule(module)) {
      names[entry].push(exported.name);
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      for (const declaration of symbol.declarations ?? []) {
        if (declarations.has(declaration)) continue;
        declarations.add(declaration);
        const where = `${exported.name} (${relative(ROOT, declaration.getSourceFile().fileName)})`;
        for (const code of examplesOf(declaration)) examples.push({ where, code });
      }
    }
  }
  return { names, examples, declarations };
}

const surface = publicSurface();
const IMPORT = /^import\s[\s\S]*?from\s+'([^']+)';?\s*$/gm;

/** The example as a module: its imports, the public names it did not import, the prelude, its body in an async function. */
function asModule(code: string): string {
  const imports = [...code.matchAll(IMPORT)].map((m) => m[0]);
  const imported = new Set(
    imports.flatMap((i) =>
      [...i.replace(/from[\s\S]*$/, '').matchAll(/\b[A-Za-z_$][\w$]*\b/g)].map((m) => m[0]),
    ),
  );
  const lines = imports.slice();
  const taken = new Set(imported);
  for (const entry of Object.keys(ENTRIES) as Entry[]) {
    const missing = surface.names[entry].filter((n) => !taken.has(n));
    missing.forEach((n) => taken.add(n));
    if (missing.length > 0) lines.push(`import { ${missing.join(', ')} } from '${entry}';`);
  }
  if (!taken.has('pipe')) lines.push("import { pipe } from 'fp-ts/function';");
  const prelude = PRELUDE.split('\n').filter(
    (line) =>
      !/^declare (?:const|function) (\w+)/.test(line) ||
      !imported.has(/^declare (?:const|function) (\w+)/.exec(line)![1]!),
  );
  return `${lines.join('\n')}\n${prelude.join('\n')}\nexport async function example(): Promise<void> {\n${code.replace(IMPORT, '')}\n}\n`;
}

function typeErrors(examples: readonly Example[]): string[] {
  const files = new Map(
    examples.map((e, i) => [join(ROOT, '__examples__', `example${i}.ts`), asModule(e.code)]),
  );
  const options = OPTIONS;
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) => {
    const text = files.get(name);
    return text === undefined
      ? getSourceFile(name, language, ...rest)
      : ts.createSourceFile(name, text, language);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  const check = ts.createProgram([...files.keys()], options, host, program);
  const names = [...files.keys()];
  return names.flatMap((name, i) =>
    [
      ...check.getSyntacticDiagnostics(check.getSourceFile(name)),
      ...check.getSemanticDiagnostics(check.getSourceFile(name)),
    ].map((d) => {
      const line =
        d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      const text = d.file?.text.split('\n')[line - 1]?.trim() ?? '';
      return `${examples[i]!.where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')} at \`${text}\``;
    }),
  );
}

const CLAIM =
  /^(\s*)(?:await\s+)?(.+?);\s*\/\/\s*(?:→\s*)?(-?\d[\d_.]*|'[^']*'|"[^"]*"|true|false|null|undefined|\[.*\]|\{.*\})\s*$/;

/** Examples made only of imports, declarations and claims, needing no free identifier. */
function claimExamples(): Example[] {
  return surface.examples.filter((e) => {
    const body = e.code.replace(IMPORT, '');
    if (!body.split('\n').some((l) => CLAIM.test(l))) return false;
    return !FREE.some((name) => new RegExp(`\\b${name}\\b`).test(body));
  });
}

async function runClaims(example: Example): Promise<string[]> {
  const body = example.code
    .replace(IMPORT, '')
    .split('\n')
    .map((line) => {
      const m = CLAIM.exec(line);
      return m === null ? line : `${m[1]}__claim(${JSON.stringify(line.trim())}, await (${m[2]}), ${m[3]});`;
    })
    .join('\n');
  const js = ts.transpileModule(`return (async () => {\n${body}\n})();`, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None },
  }).outputText;
  const failures: string[] = [];
  const claim = (line: string, actual: unknown, expected: unknown): void => {
    if (!isDeepStrictEqual(actual, expected))
      failures.push(`${example.where}: \`${line}\` gives ${JSON.stringify(actual)}`);
  };
  const scope: Record<string, unknown> = { ...tagcache, ...testing, __claim: claim };
  const run = new Function(...Object.keys(scope), js) as (...values: unknown[]) => Promise<void>;
  await run(...Object.values(scope));
  return failures;
}

describe('@example blocks', () => {
  it('public exports carry examples, and they type-check', () => {
    expect(surface.examples.length).toBeGreaterThan(60);
    // A free identifier named like a public export would clash with the import of that export.
    const publicNames = new Set(Object.values(surface.names).flat());
    expect(FREE.filter((name) => publicNames.has(name))).toEqual([]);
    expect(typeErrors(surface.examples)).toEqual([]);
  }, 60_000);

  it('the claims of simple examples hold when run', async () => {
    const examples = claimExamples();
    expect(examples.map((e) => e.where)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^entityTag /),
        expect.stringMatching(/^parseDuration /),
      ]),
    );
    expect(examples.length).toBeGreaterThanOrEqual(3);
    // One after another: examples share process state (metrics, the default cache, the registry).
    const failures: string[] = [];
    for (const example of examples) failures.push(...(await runClaims(example)));
    expect(failures).toEqual([]);
  });

  it('private helpers carry none', () => {
    const offenders: string[] = [];
    for (const file of program.getSourceFiles()) {
      const path = relative(ROOT, file.fileName);
      if (!NO_PRIVATE_EXAMPLES.some((p) => path.startsWith(p)) || path.endsWith('/index.ts')) continue;
      const visit = (node: ts.Node): void => {
        if (
          ts.isFunctionDeclaration(node) ||
          ts.isInterfaceDeclaration(node) ||
          ts.isTypeAliasDeclaration(node) ||
          ts.isVariableDeclaration(node) ||
          ts.isClassDeclaration(node)
        ) {
          if (!surface.declarations.has(node) && examplesOf(node).length > 0)
            offenders.push(`${path}: ${node.name?.getText() ?? '?'}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
    }
    expect(offenders).toEqual([]);
  });
});
