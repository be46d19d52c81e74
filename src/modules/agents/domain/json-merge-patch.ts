import { isJsonObject, type JsonObject, type JsonValue } from './json-object.js';

/** `patch` applied to `target` as RFC 7396 says: objects merge, a null value removes its key. */
export function applyMergePatch(target: JsonObject, patch: JsonObject): JsonObject {
  const result: JsonObject = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (isJsonObject(value)) define(result, key, applyMergePatch(isJsonObject(result[key]) ? (result[key] as JsonObject) : {}, value));
    else define(result, key, value as JsonValue);
  }
  return result;
}

// An own property whatever the key ("__proto__" included), never a prototype change.
function define(object: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}
