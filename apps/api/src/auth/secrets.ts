import { createHash, randomBytes } from 'node:crypto';

/**
 * Tokens and keys are long random strings, so a fast unsalted SHA-256 is
 * enough to make the stored hash useless to a thief while keeping the
 * per-heartbeat lookup cheap (a slow password hash would cap throughput).
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A new secret: a readable prefix and 32 random bytes in base64url. */
export function generateSecret(prefix: 'rc_key' | 'rc_dev'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}
