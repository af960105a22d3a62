/**
 * Seeded randomness for event generation. Every event is generated from a Faker instance that is
 * re-seeded with (seed, index, stream), so the same seed and index give the same event byte for
 * byte, whatever was generated before.
 *
 * Why a custom randomizer: Faker's default Mersenne Twister costs about 30 µs per `seed()` call
 * (it re-initialises 624 words of state), which alone would cap generation near 30,000 events/s.
 * sfc32 seeds in a few nanoseconds and is statistically good enough for test data.
 */
import { base, en, Faker, type Randomizer } from '@faker-js/faker';

/** Separate random streams per event, so a template in an option cannot shift the defaults. */
export const Stream = { Defaults: 0, Templates: 1 } as const;

/** A small, fast PRNG (sfc32) with Faker's Randomizer interface. */
export class Sfc32 implements Randomizer {
  #a = 0;
  #b = 0;
  #c = 0;
  #d = 1;

  readonly next = (): number => {
    const a = this.#a;
    const b = this.#b;
    const c = this.#c;
    const d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    this.#c = ((c << 21) | (c >>> 11)) + t;
    return (t >>> 0) / 4294967296;
  };

  readonly seed = (seed: number | number[]): void => {
    const parts = typeof seed === 'number' ? [seed] : seed;
    let h1 = 0x9e3779b9;
    let h2 = 0x85ebca6b;
    for (const part of parts) {
      // Fold the full double (seeds may exceed 32 bits) into two 32-bit lanes.
      const lo = part | 0;
      const hi = Math.floor(part / 4294967296) | 0;
      h1 = mix32(h1 ^ lo);
      h2 = mix32(h2 ^ hi ^ h1);
    }
    this.#a = h1;
    this.#b = h2;
    this.#c = mix32(h1 ^ h2);
    this.#d = 1;
    // sfc32 needs a few rounds to spread a low-entropy seed across its state.
    for (let i = 0; i < 8; i++) this.next();
  };
}

function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) | 0;
}

/** A Faker with English data and the fast seeded randomizer, for callers that seed it themselves. */
export function createEventFaker(): Faker {
  return new Faker({ locale: [en, base], randomizer: new Sfc32() });
}

/** Uniform numbers in [0, 1); the helpers below draw from it. */
export interface Rand {
  next(): number;
}

/**
 * One reusable source of randomness per generator: a Faker for realistic text and its raw
 * randomizer for cheap ids. Seed it per event; generation is synchronous, so sharing is safe.
 */
export class EventRandom implements Rand {
  readonly faker: Faker;
  readonly next: () => number;
  readonly #rng: Sfc32;

  constructor() {
    this.#rng = new Sfc32();
    this.faker = new Faker({ locale: [en, base], randomizer: this.#rng });
    this.next = this.#rng.next;
  }

  /** Seeds both for one event (and one stream within it). */
  seed(seed: number, index: number, stream: number = Stream.Defaults): this {
    this.#rng.seed([seed, index, stream]);
    return this;
  }
}

const HEX = '0123456789abcdef';

/** `length` lowercase hex digits from the seeded faker (cheaper than faker.string.hexadecimal). */
export function hex(r: Rand, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += HEX[Math.floor(r.next() * 16)];
  return out;
}

/** An RFC 4122 version-4 UUID from the seeded faker. */
export function uuid(r: Rand): string {
  const h = hex(r, 30);
  const variant = HEX[8 + Math.floor(r.next() * 4)];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(12, 15)}-${variant}${h.slice(15, 18)}-${h.slice(18, 30)}`;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Random characters from an alphabet (default: mixed-case alphanumerics). */
export function chars(r: Rand, length: number, alphabet: string = ALNUM): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(r.next() * alphabet.length)];
  return out;
}

/** Upper-case alphanumerics, the alphabet of AWS request ids and access keys. */
export function upperChars(r: Rand, length: number): string {
  return chars(r, length, UPPER_ALNUM);
}

/** Base64 of `bytes` random bytes (the shape of signatures, receipt handles, x-amz-id-2). */
export function randomBase64(r: Rand, bytes: number): string {
  const buf = Buffer.allocUnsafe(bytes);
  for (let i = 0; i < bytes; i++) buf[i] = Math.floor(r.next() * 256);
  return buf.toString('base64');
}

/** An integer in [min, max], inclusive. */
export function int(r: Rand, min: number, max: number): number {
  return min + Math.floor(r.next() * (max - min + 1));
}

/** One element of a non-empty list. */
export function pick<T>(r: Rand, items: readonly T[]): T {
  const item = items[Math.floor(r.next() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** A public-looking IPv4 address (first octet 1–223, skipping 10 and 127). */
export function ipv4(r: Rand): string {
  let first = 1 + Math.floor(r.next() * 223);
  if (first === 10 || first === 127) first++;
  return `${first}.${Math.floor(r.next() * 256)}.${Math.floor(r.next() * 256)}.${1 + Math.floor(r.next() * 254)}`;
}
