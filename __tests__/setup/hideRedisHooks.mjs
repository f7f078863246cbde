// Module resolution hook for hideRedis.mjs.
export async function resolve(specifier, context, next) {
  if (specifier === 'redis' || specifier.startsWith('redis/') || specifier.startsWith('@redis/')) {
    const error = new Error(`Cannot find package '${specifier}' imported from ${context.parentURL}`);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}
