// Lints in-memory snippets with ESLint's Node API and the repository's eslint.config.js.
// Input (stdin): JSON [{ filePath, code }]; output (stdout): JSON [{ filePath, messages }].
// Run as a child process: jest's module system cannot load ESLint's ESM config loader.
import { ESLint } from 'eslint';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const snippets = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const eslint = new ESLint({ cwd: process.cwd() });
const out = [];
for (const { filePath, code } of snippets) {
  const [result] = await eslint.lintText(code, { filePath });
  out.push({
    filePath,
    messages: (result?.messages ?? []).map(({ ruleId, message, line }) => ({ ruleId, message, line })),
  });
}
process.stdout.write(JSON.stringify(out));
