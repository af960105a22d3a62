/**
 * Encodings AWS applies to event fields.
 */
// crypto.hash is the one-shot digest (Node 20.12+): several times cheaper than createHash for small inputs.
import { hash } from 'node:crypto';

/**
 * S3 writes object keys in notifications form-URL-encoded: a space becomes `+` and other reserved
 * characters are percent-encoded, while `/` is kept (S3 user guide, notification content
 * structure: "red flower.jpg" → "red+flower.jpg"). The safe set is the form encoder's:
 * letters, digits, `.`, `-`, `*`, `_` — so `!`, `'`, `(`, `)` and `~` are percent-encoded too.
 */
export function s3EncodeKey(key: string): string {
  if (SAFE_KEY.test(key)) return key;
  return encodeURIComponent(key)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/')
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const SAFE_KEY = /^[A-Za-z0-9.\-*_/]*$/;

/** Hex MD5, as SQS writes md5OfBody. */
export function md5Hex(data: string | Uint8Array): string {
  return hash('md5', data, 'hex');
}

export function base64(data: string | Uint8Array): string {
  return Buffer.from(data).toString('base64');
}
