/**
 * `tagcache/otel`: OpenTelemetry metrics and spans for every cache, through `@opentelemetry/api`
 * (an optional peer dependency: `npm install @opentelemetry/api`). The core entry never loads it.
 *
 * @example
 * ```ts
 * import { instrument } from 'tagcache/otel';
 * instrument({ meterProvider, tracerProvider });
 * ```
 *
 * @packageDocumentation
 */
export { instrument, type InstrumentOptions } from './otel/instrument.js';
