/**
 * Extracts the TypeScript snippets of README.md and docs/*.md, type-checks them all in one
 * TypeScript program, and turns the runnable ones into CommonJS that the docs test executes.
 * The convention itself is described in docs/CONTRIBUTING-docs.md and at the top of
 * __tests__/docs.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export const ROOT = join(__dirname, '..', '..');

/** What the test does with a block: type-check it, also run it, or leave it alone (with a reason). */
export type SnippetMode = 'check' | 'run' | 'nocheck';

export interface Snippet {
  /** Markdown file, relative to the repository root (`docs/keys.md`). */
  readonly file: string;
  /** 1-based line of the snippet's first code line in the Markdown file. */
  readonly line: number;
  readonly mode: SnippetMode;
  /** `ts run redis`: runs with REDIS_URL / TAGCACHE_URL set to the suite's test server. */
  readonly redis: boolean;
  /** `ts nocheck <reason>`: why the block is not compiled. */
  readonly reason: string;
  readonly code: string;
  /** A readable id: `docs/keys.md:12`. */
  readonly id: string;
}

/** A fence whose info string the convention does not accept (`typescript`, `ts runn`, …). */
export interface BadFence {
  readonly id: string;
  readonly info: string;
  readonly why: string;
}

/** README.md and every docs/*.md, relative to the repository root. */
export function markdownFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*(.*)$/;
const TS_LANG = /^(ts|typescript|tsx|mts|cts)$/i;

/** Reads a fence's info string: `ts`, `ts run`, `ts run redis`, `ts nocheck <reason>`. */
function parseInfo(info: string): { mode: SnippetMode; redis: boolean; reason: string } | string {
  const [lang = '', ...words] = info.trim().split(/\s+/);
  if (lang !== 'ts') return `use \`\`\`ts, not \`\`\`${lang}`;
  if (words[0] === 'nocheck') {
    const reason = words.slice(1).join(' ');
    return reason
      ? { mode: 'nocheck', redis: false, reason }
      : '`ts nocheck` needs a reason: ```ts nocheck <why>';
  }
  if (words.length === 0) return { mode: 'check', redis: false, reason: '' };
  if (words[0] === 'run' && (words.length === 1 || (words.length === 2 && words[1] === 'redis'))) {
    return { mode: 'run', redis: words.length === 2, reason: '' };
  }
  return `unknown snippet flags "${words.join(' ')}" (expected run, run redis, or nocheck <reason>)`;
}

/** Every TypeScript block of the given Markdown files, and the fences the convention rejects. */
export function extractSnippets(files: readonly string[] = markdownFiles()): {
  snippets: Snippet[];
  bad: BadFence[];
} {
  const snippets: Snippet[] = [];
  const bad: BadFence[] = [];
  for (const file of files) {
    const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const open = FENCE.exec(lines[i] ?? '');
      if (!open) continue;
      const [, indent = '', marks = '', info = ''] = open;
      let end = i + 1;
      while (end < lines.length && !(lines[end] ?? '').trimStart().startsWith(marks)) end++;
      const lang = info.trim().split(/\s+/)[0] ?? '';
      if (TS_LANG.test(lang)) {
        const id = `${file}:${i + 1}`;
        const parsed = parseInfo(info);
        const code = lines
          .slice(i + 1, end)
          .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
          .join('\n');
        if (typeof parsed === 'string') bad.push({ id, info: info.trim(), why: parsed });
        else snippets.push({ file, line: i + 2, ...parsed, code, id });
      }
      i = end;
    }
  }
  return { snippets, bad };
}

/** The file name a snippet gets inside the type-check program (next to the docs, so `node_modules` resolves). */
export function virtualFileName(s: Snippet): string {
  const base = s.file.replace(/[/.]/g, '_');
  return join(ROOT, 'docs', '.snippets', `${base}_L${s.line}.ts`);
}

/** `tagcache`, `tagcache/redis`, `tagcache/testing`, `tagcache/otel` → the library sources. */
export const PACKAGE_ENTRIES: Readonly<Record<string, string>> = {
  tagcache: join(ROOT, 'lib', 'index.ts'),
  'tagcache/redis': join(ROOT, 'lib', 'redis.ts'),
  'tagcache/testing': join(ROOT, 'lib', 'testing', 'index.ts'),
  'tagcache/otel': join(ROOT, 'lib', 'otel.ts'),
};

/** The stand-ins for the reader's app (`db`, `metrics`) that snippets may use without declaring. */
export const APP_STAND_INS = join(ROOT, '__tests__', 'docs', 'app.ts');

function compilerOptions(): ts.CompilerOptions {
  const configPath = join(ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT, undefined, configPath);
  const paths = Object.fromEntries(Object.entries(PACKAGE_ENTRIES).map(([k, v]) => [k, [v]]));
  return { ...parsed.options, noEmit: true, paths, moduleDetection: ts.ModuleDetectionKind.Force };
}

/**
 * Type-checks every snippet that is not `nocheck` in one program, as ES modules of this package
 * (NodeNext, the repository's strict options, top-level await allowed). Returns readable
 * diagnostics (`docs/keys.md:14: error TS2304: Cannot find name 'db'.`), empty when all compile.
 */
export function typeCheckSnippets(snippets: readonly Snippet[]): string[] {
  const options = compilerOptions();
  const byName = new Map(snippets.filter((s) => s.mode !== 'nocheck').map((s) => [virtualFileName(s), s]));
  const host = ts.createCompilerHost(options, true);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => byName.get(f)?.code ?? readFile(f);
  host.fileExists = (f) => byName.has(f) || fileExists(f);
  host.getSourceFile = (f, lang, onError, create) => {
    const s = byName.get(f);
    return s ? ts.createSourceFile(f, s.code, lang, true) : getSourceFile(f, lang, onError, create);
  };
  const program = ts.createProgram([APP_STAND_INS, ...byName.keys()], options, host);
  // Only the snippets' own diagnostics: lib/ is checked by `npm run typecheck`, and skipping its
  // bodies keeps this program fast.
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...[...byName.keys()].flatMap((f) => {
      const sf = program.getSourceFile(f);
      return sf ? [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)] : [];
    }),
  ];
  return diagnostics.map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return `error TS${d.code}: ${text}`;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    const s = byName.get(d.file.fileName);
    const where = s ? `${s.file}:${s.line + line}` : `${relative(ROOT, d.file.fileName)}:${line + 1}`;
    return `${where}: error TS${d.code}: ${text}`;
  });
}

export { expectationOf, toRunnable, type Expectation } from './docSnippetRun.js';
