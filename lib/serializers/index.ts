/**
 * Serializers: turn cached values into strings for remote stores and back.
 *
 * @packageDocumentation
 */
export type { Serializer } from './Serializer.js';
export { defaultSerializer, deserializeDefault, serializeDefault } from './defaultSerializer.js';
export { deserializeJson, jsonSerializer, serializeJson } from './jsonSerializer.js';
