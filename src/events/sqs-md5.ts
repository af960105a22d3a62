/**
 * MD5OfMessageAttributes as SQS computes it (SQS developer guide, "Calculating the MD5 message
 * digest for message attributes"): for each attribute in name order, the name, the data type and
 * the value, each as a 4-byte big-endian length followed by its bytes, with a 1-byte transport
 * type (1 string, 2 binary) before the value. The MD5 of the concatenation, in hex.
 */
import { createHash } from 'node:crypto';

export interface SqsAttributeForMd5 {
  dataType: string;
  stringValue?: string | undefined;
  /** Base64, as it appears in the Lambda event. */
  binaryValue?: string | undefined;
}

export function md5OfMessageAttributes(attributes: Readonly<Record<string, SqsAttributeForMd5>>): string {
  const md5 = createHash('md5');
  for (const name of Object.keys(attributes).sort()) {
    const a = attributes[name];
    if (!a) continue;
    md5.update(lengthPrefixed(Buffer.from(name, 'utf8')));
    md5.update(lengthPrefixed(Buffer.from(a.dataType, 'utf8')));
    if (a.binaryValue !== undefined) {
      md5.update(Uint8Array.of(2));
      md5.update(lengthPrefixed(Buffer.from(a.binaryValue, 'base64')));
    } else {
      md5.update(Uint8Array.of(1));
      md5.update(lengthPrefixed(Buffer.from(a.stringValue ?? '', 'utf8')));
    }
  }
  return md5.digest('hex');
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + bytes.length);
  out.writeUInt32BE(bytes.length, 0);
  bytes.copy(out, 4);
  return out;
}
