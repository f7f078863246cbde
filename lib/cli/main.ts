#!/usr/bin/env node
/**
 * The `tagcache` bin (`npx tagcache --help`). See docs/operations.md.
 *
 * @packageDocumentation
 */
import { runCli } from './program.js';

const interactive = process.stdin.isTTY === true || process.stdout.isTTY === true;
void runCli(process.argv, {
  out: (s) => void process.stdout.write(s),
  err: (s) => void process.stderr.write(s),
  interactive,
}).then((code) => {
  process.exitCode = code;
});
