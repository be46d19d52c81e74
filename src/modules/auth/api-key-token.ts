import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'agk_';
/** Longer than any token this service mints; a longer one is refused before it is hashed. */
export const MAX_TOKEN_LENGTH = 256;

/** A new API key's token: 256 random bits. Shown once; only its hash is kept. */
export function newApiKeyToken(): string {
  return `${PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashApiKeyToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
