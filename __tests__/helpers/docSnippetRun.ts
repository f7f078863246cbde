/**
 * Turns a `ts run` snippet into CommonJS the docs test can execute, with its documented results
 * checked: a top-level expression statement followed by a comment that starts with a literal
 * (`getUser.keyOf(42); // '3:getUser:42'`) or with `throws Name` (`getCache('nope'); // throws
 * UnknownCacheError`) becomes an assertion. The comment may sit at the end of the line or alone on
 * the next line.
 */
import ts from 'typescript';

/** What a snippet comment says an expression evaluates to. */
export type Expectation =
  | { readonly kind: 'equals'; readonly value: unknown }
  | { readonly kind: 'endsWith'; readonly suffix: string }
  | { readonly kind: 'throws'; readonly name: string };

const LITERAL =
  /^(true|false|null|undefined|-?\d[\d_]*(?:\.\d+)?|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")(?=$|[,;:]\s|\s\()/;
const THROWS = /^throws\s+([A-Z]\w*)/;

/**
 * The expectation a comment states, if any: `// 42`, `// 'a:b'`, `// true, and …`,
 * `// '…suffix'` (the value ends with `suffix`), `// throws InvalidKeyError`.
 *
 * @example
 * ```ts
 * expectationOf("// 'x', from the cache"); // { kind: 'equals', value: 'x' }
 * ```
 */
export function expectationOf(comment: string): Expectation | undefined {
  const text = comment.replace(/^\/\/\s?/, '').trim();
  const thrown = THROWS.exec(text);
  if (thrown) return { kind: 'throws', name: thrown[1] as string };
  const literal = LITERAL.exec(text)?.[1];
  if (literal === undefined) return undefined;
  const value: unknown = new Function(`return ${literal};`)();
  if (typeof value === 'string' && value.startsWith('…')) return { kind: 'endsWith', suffix: value.slice(1) };
  return { kind: 'equals', value };
}

/** The comment right after a statement: at the end of its line, or alone on the next line. */
function commentAfter(text: string, stmt: ts.Statement, sf: ts.SourceFile): string | undefined {
  const trailing = ts.getTrailingCommentRanges(text, stmt.end)?.[0];
  if (trailing && trailing.kind === ts.SyntaxKind.SingleLineCommentTrivia)
    return text.slice(trailing.pos, trailing.end);
  const next = ts.getLeadingCommentRanges(text, stmt.end)?.[0];
  if (!next || next.kind !== ts.SyntaxKind.SingleLineCommentTrivia) return undefined;
  const stmtLine = sf.getLineAndCharacterOfPosition(stmt.getEnd()).line;
  return sf.getLineAndCharacterOfPosition(next.pos).line === stmtLine + 1
    ? text.slice(next.pos, next.end)
    : undefined;
}

/**
 * The snippet as the body of an async function `(require, exports, module, __expect)`:
 * imports become `require` calls, top-level `await` works, and stated results call `__expect`.
 */
export function toRunnable(code: string, fileName: string): { body: string; assertions: number } {
  const sf = ts.createSourceFile(fileName, code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const edits: { start: number; end: number; text: string }[] = [];
  for (const stmt of sf.statements) {
    if (!ts.isExpressionStatement(stmt)) continue;
    const comment = commentAfter(code, stmt, sf);
    const expected = comment === undefined ? undefined : expectationOf(comment);
    if (!expected) continue;
    const line = sf.getLineAndCharacterOfPosition(stmt.getStart()).line;
    const expr = stmt.expression.getText(sf);
    edits.push({
      start: stmt.getStart(),
      end: stmt.getEnd(),
      text: `await __expect(async () => (${expr}), ${JSON.stringify(expected)}, ${line});`,
    });
  }
  let source = code;
  for (const e of edits.reverse()) source = source.slice(0, e.start) + e.text + source.slice(e.end);
  const out = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: false,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  return { body: out.outputText, assertions: edits.length };
}
