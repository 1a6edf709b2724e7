import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** The layout of a generated PNG: its exact byte size and pixel dimensions, computed without generating it. */
export interface PngLayout {
  readonly size: number;
  readonly width: number;
  readonly height: number;
  /** Bytes of the tEXt chunk's data that pads the file to the requested size. */
  readonly paddingLength: number;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// Stored (uncompressed) deflate blocks hold at most 65535 bytes each; one block per IDAT chunk.
const BLOCK = 65_535;
// Signature 8 + IHDR 25 + tEXt framing 12 + zlib header 2 + Adler-32 4 + IEND 12.
const FIXED_OVERHEAD = 63;
// Per block: IDAT framing 12 + stored-block header 5.
const PER_BLOCK = 17;
const KEYWORD = 'Comment\0';

function paddingMinimum(id: string): number {
  return Buffer.byteLength(`${KEYWORD}${id} `);
}

function totalSize(width: number, height: number, paddingLength: number): number {
  const raw = height * (1 + 3 * width);
  return FIXED_OVERHEAD + paddingLength + PER_BLOCK * Math.ceil(raw / BLOCK) + raw;
}

/**
 * Picks dimensions (about 4:3) so the PNG is exactly `requestedSize` bytes; a tEXt chunk carrying the id
 * makes up the difference, so two ids never share content. Below the smallest possible PNG (a 1x1 image
 * plus the id) the file is that smallest PNG instead.
 */
export function pngLayout(id: string, requestedSize: number): PngLayout {
  const minPadding = paddingMinimum(id);
  const smallest = totalSize(1, 1, minPadding);
  if (requestedSize <= smallest) return { size: smallest, width: 1, height: 1, paddingLength: minPadding };
  const rawBudget = Math.floor(((requestedSize - FIXED_OVERHEAD - minPadding) * BLOCK) / (BLOCK + PER_BLOCK));
  let width = Math.max(1, Math.floor(Math.sqrt((rawBudget / 3) * (4 / 3))));
  let height = Math.max(1, Math.floor(rawBudget / (1 + 3 * width)));
  while (totalSize(width, height, minPadding) > requestedSize) {
    if (height > 1) height -= 1;
    else width -= 1;
  }
  return { size: requestedSize, width, height, paddingLength: requestedSize - totalSize(width, height, 0) };
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function seedOf(id: string): Uint32Array {
  const digest = createHash('sha256').update(id).digest();
  return new Uint32Array(digest.buffer, digest.byteOffset, 8);
}

/** Pixel rows of a soft two-colour gradient with a disc and a little grain: abstract, but photo-like in a gallery. */
function* rows(id: string, width: number, height: number): Generator<Buffer> {
  const [s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0] = seedOf(id);
  const rgb = (v: number) => [(v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  const [a, b, disc] = [rgb(s0), rgb(s1), rgb(s2)];
  const cx = Math.floor(((s3 % 1000) / 1000) * width);
  const cy = Math.floor(((s4 % 1000) / 1000) * height);
  const radius = Math.max(1, Math.floor(((s5 % 300) / 1000 + 0.1) * Math.min(width, height)));
  // Colours depend only on x + y (and on being inside the disc), so two tables replace per-pixel maths.
  const span = width + height - 1;
  const plain = new Uint8Array(span * 3);
  const tinted = new Uint8Array(span * 3);
  for (let s = 0; s < span; s++) {
    const t = s / Math.max(1, span - 1);
    for (let k = 0; k < 3; k++) {
      const g = (a[k] ?? 0) * (1 - t) + (b[k] ?? 0) * t;
      plain[s * 3 + k] = Math.round(g);
      tinted[s * 3 + k] = Math.round(((disc[k] ?? 0) * 3 + g) / 4);
    }
  }
  let noise = s6 | 1;
  const r2 = radius * radius;
  for (let y = 0; y < height; y++) {
    const row = Buffer.allocUnsafe(1 + 3 * width);
    const out = new Uint8ClampedArray(row.buffer, row.byteOffset, row.length);
    out[0] = 0;
    const dy2 = (y - cy) * (y - cy);
    for (let x = 0, o = 1; x < width; x++, o += 3) {
      noise ^= noise << 13;
      noise ^= noise >>> 17;
      noise ^= noise << 5;
      const table = (x - cx) * (x - cx) + dy2 < r2 ? tinted : plain;
      const s = (x + y) * 3;
      out[o] = (table[s] ?? 0) + (noise & 15) - 8;
      out[o + 1] = (table[s + 1] ?? 0) + ((noise >>> 4) & 15) - 8;
      out[o + 2] = (table[s + 2] ?? 0) + ((noise >>> 8) & 15) - 8;
    }
    yield row;
  }
}

function adler32(state: { a: number; b: number }, data: Buffer): void {
  let { a, b } = state;
  for (let i = 0; i < data.length; ) {
    // 5552 is the largest run that cannot overflow before the modulo (zlib's NMAX).
    const end = Math.min(data.length, i + 5552);
    for (; i < end; i++) {
      a += data[i] ?? 0;
      b += a;
    }
    a %= 65_521;
    b %= 65_521;
  }
  state.a = a;
  state.b = b;
}

/**
 * The bytes of a valid PNG derived only from (id, size): RGB, 8 bits, no compression (stored deflate
 * blocks), so its size is exact and predictable. Yields chunks of at most ~64 KB; nothing is kept.
 */
export function* generatePng(id: string, requestedSize: number): Generator<Buffer> {
  const { width, height, paddingLength } = pngLayout(id, requestedSize);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  const label = Buffer.from(`${KEYWORD}${id} `);
  const padding = Buffer.alloc(paddingLength, '.');
  label.copy(padding);
  yield Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('tEXt', padding)]);

  const raw = height * (1 + 3 * width);
  const blocks = Math.ceil(raw / BLOCK);
  const adler = { a: 1, b: 0 };
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let blockIndex = 0;
  const emit = (data: Buffer): Buffer => {
    adler32(adler, data);
    const last = blockIndex === blocks - 1;
    const head = blockIndex === 0 ? Buffer.from([0x78, 0x01]) : Buffer.alloc(0);
    const header = Buffer.alloc(5);
    header[0] = last ? 1 : 0;
    header.writeUInt16LE(data.length, 1);
    header.writeUInt16LE(~data.length & 0xffff, 3);
    const tail = Buffer.alloc(last ? 4 : 0);
    if (last) tail.writeUInt32BE(((adler.b << 16) | adler.a) >>> 0, 0);
    blockIndex += 1;
    return chunk('IDAT', Buffer.concat([head, header, data, tail]));
  };
  for (const row of rows(id, width, height)) {
    pending.push(row);
    pendingLength += row.length;
    while (pendingLength >= BLOCK) {
      const joined = Buffer.concat(pending);
      yield emit(joined.subarray(0, BLOCK));
      const rest = joined.subarray(BLOCK);
      pending = rest.length > 0 ? [rest] : [];
      pendingLength = rest.length;
    }
  }
  if (pendingLength > 0) yield emit(Buffer.concat(pending));
  yield chunk('IEND', Buffer.alloc(0));
}
