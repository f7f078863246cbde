/**
 * The package as npm shows and installs it: license, metadata, node10 subpath types and the
 * README's links. (`npm run check:package` builds, packs and runs attw and publint on the tarball.)
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const REPO = 'https://github.com/tagcache/tagcache';
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

interface ExportTarget {
  readonly import: { readonly types: string; readonly default: string };
  readonly require: { readonly types: string; readonly default: string };
}
const pkg = JSON.parse(read('package.json')) as {
  license: string;
  files: string[];
  repository: { type: string; url: string };
  homepage: string;
  bugs: { url: string };
  types: string;
  typesVersions: Record<string, Record<string, string[]>>;
  exports: Record<string, ExportTarget | string>;
};

/** Markdown links `[text](target)` outside code, with their line. */
function links(markdown: string): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  let inCode = false;
  markdown.split('\n').forEach((text, i) => {
    if (/^\s*(```|~~~)/.test(text)) inCode = !inCode;
    if (inCode) return;
    for (const m of text.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g))
      out.push({ target: m[1] as string, line: i + 1 });
  });
  return out;
}

describe('package', () => {
  it('has an MIT LICENSE for "tagcache contributors", shipped in the tarball', () => {
    const license = read('LICENSE');
    expect(license).toMatch(/^MIT License/);
    expect(license).toContain('Copyright (c) 2026 tagcache contributors');
    expect(pkg.license).toBe('MIT');
    expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'README.md', 'CHANGELOG.md', 'LICENSE']));
  });

  it('names the repository, homepage and issue tracker', () => {
    expect(pkg.repository).toEqual({ type: 'git', url: `git+${REPO}.git` });
    expect(pkg.homepage).toBe(`${REPO}#readme`);
    expect(pkg.bugs).toEqual({ url: `${REPO}/issues` });
  });

  it('gives every subpath entry its types under moduleResolution node10 (typesVersions)', () => {
    const subpaths = Object.entries(pkg.exports).filter(([k, v]) => k !== '.' && typeof v !== 'string');
    expect(subpaths.length).toBeGreaterThanOrEqual(2);
    for (const [subpath, target] of subpaths) {
      // node10 reads CommonJS: the same declarations a `require` through `exports` gets.
      expect([subpath, pkg.typesVersions['*']?.[subpath.slice(2)]]).toEqual([
        subpath,
        [(target as ExportTarget).require.types],
      ]);
    }
    expect(pkg.types).toBe((pkg.exports['.'] as ExportTarget).require.types);
  });
});

describe('docs links', () => {
  it('README links only to absolute URLs or in-page anchors (the npm page shows it), and those into the repository exist', () => {
    const found = links(read('README.md'));
    expect(found.length).toBeGreaterThan(5);
    for (const { target, line } of found) {
      expect([line, target]).toEqual([line, expect.stringMatching(/^(https:\/\/|#)/)]);
      const inRepo = /^https:\/\/github\.com\/tagcache\/tagcache\/blob\/main\/([^#]+)/.exec(target);
      if (inRepo) expect([target, existsSync(join(ROOT, inRepo[1] as string))]).toEqual([target, true]);
    }
  });

  it('docs pages link to pages and files that exist', () => {
    for (const page of readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md'))) {
      for (const { target, line } of links(read(`docs/${page}`))) {
        if (/^(https?:|#|mailto:)/.test(target)) continue;
        const file = target.split('#')[0] as string;
        expect([`docs/${page}:${line}`, target, existsSync(join(ROOT, 'docs', file))]).toEqual([
          `docs/${page}:${line}`,
          target,
          true,
        ]);
      }
    }
  });
});
