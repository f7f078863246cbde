/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS module that Jest loads */
// Jest transform for __tests__/decorators/legacy: TypeScript with experimentalDecorators (the
// legacy form NestJS uses), like tsconfig.legacy.json. Not ts-jest: ts-jest caches one
// configuration per Jest project, so a second ts-jest entry with other compiler options would
// silently reuse the first one's.
const { createHash } = require('node:crypto');
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  experimentalDecorators: true,
  esModuleInterop: true,
  inlineSourceMap: true,
  inlineSources: true,
};

module.exports = {
  process(source, fileName) {
    const out = ts.transpileModule(source, { fileName, compilerOptions, reportDiagnostics: false });
    return { code: out.outputText };
  },
  getCacheKey(source, fileName) {
    return createHash('sha256')
      .update(`legacy-decorators-1\0${ts.version}\0${fileName}\0${source}`)
      .digest('hex');
  },
};
