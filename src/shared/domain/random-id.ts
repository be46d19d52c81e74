import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4_096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let used = POOL_BYTES;

/**
 * `bytes` random bytes as base64url, cut from a pool refilled 4 KiB at a time: one call into the
 * system's random source per ~250 ids instead of one per id (a create makes two). For identifiers,
 * not for secrets: API key tokens come from randomBytes directly.
 */
export function randomIdPart(bytes = 16): string {
  if (used + bytes > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const text = pool.toString('base64url', used, used + bytes);
  used += bytes;
  return text;
}
