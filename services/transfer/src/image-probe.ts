/** What the first bytes of a file say it is. */
export interface ImageProbe {
  mimeType: string;
  width: number | null;
  height: number | null;
}

const ascii = (bytes: Uint8Array, start: number, text: string) => [...text].every((c, i) => bytes[start + i] === c.charCodeAt(0));

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** JPEG keeps its size in the first start-of-frame segment, after any number of other segments. */
function jpegSize(bytes: Uint8Array): { width: number; height: number } | null {
  const dv = view(bytes);
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1] ?? 0;
    const length = dv.getUint16(offset + 2);
    const isStartOfFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isStartOfFrame) return { height: dv.getUint16(offset + 5), width: dv.getUint16(offset + 7) };
    offset += 2 + length;
  }
  return null;
}

/**
 * The format and dimensions from the first bytes of a file (64 KiB is plenty), or undefined when they are not
 * a PNG, JPEG, GIF, WebP or BMP image. Magic bytes decide, never the type a source claims.
 */
export function probeImage(head: Uint8Array): ImageProbe | undefined {
  const dv = view(head);
  if (head.length >= 24 && head[0] === 0x89 && ascii(head, 1, 'PNG') && ascii(head, 12, 'IHDR')) {
    return { mimeType: 'image/png', width: dv.getUint32(16), height: dv.getUint32(20) };
  }
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) {
    const size = jpegSize(head);
    return { mimeType: 'image/jpeg', width: size?.width ?? null, height: size?.height ?? null };
  }
  if (head.length >= 10 && (ascii(head, 0, 'GIF87a') || ascii(head, 0, 'GIF89a'))) {
    return { mimeType: 'image/gif', width: dv.getUint16(6, true), height: dv.getUint16(8, true) };
  }
  if (head.length >= 30 && ascii(head, 0, 'RIFF') && ascii(head, 8, 'WEBP')) {
    if (ascii(head, 12, 'VP8X')) return { mimeType: 'image/webp', width: 1 + (dv.getUint32(24, true) & 0xffffff), height: 1 + (dv.getUint32(27, true) & 0xffffff) };
    if (ascii(head, 12, 'VP8L')) {
      const bits = dv.getUint32(21, true);
      return { mimeType: 'image/webp', width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
    }
    if (ascii(head, 12, 'VP8 ')) return { mimeType: 'image/webp', width: dv.getUint16(26, true) & 0x3fff, height: dv.getUint16(28, true) & 0x3fff };
    return { mimeType: 'image/webp', width: null, height: null };
  }
  if (head.length >= 26 && ascii(head, 0, 'BM')) {
    return { mimeType: 'image/bmp', width: dv.getInt32(18, true), height: Math.abs(dv.getInt32(22, true)) };
  }
  if (head.length >= 8 && (ascii(head, 0, 'II*\u0000') || ascii(head, 0, 'MM\u0000*'))) return { mimeType: 'image/tiff', width: null, height: null };
  if (head.length >= 12 && ascii(head, 4, 'ftyp')) {
    const brand = String.fromCharCode(...head.subarray(8, 12));
    const type = HEIF_BRANDS[brand];
    if (type) return { mimeType: type, width: null, height: null };
  }
  if (head.length >= 6 && dv.getUint16(0, true) === 0 && dv.getUint16(2, true) === 1 && dv.getUint16(4, true) > 0) {
    return { mimeType: 'image/x-icon', width: head[6] || 256, height: head[7] || 256 };
  }
  if (looksLikeSvg(head)) return { mimeType: 'image/svg+xml', width: null, height: null };
  return undefined;
}

/** ISO-BMFF brands of still images (HEIC, HEIF, AVIF). */
const HEIF_BRANDS: Record<string, string> = {
  heic: 'image/heic',
  heix: 'image/heic',
  heim: 'image/heic',
  heis: 'image/heic',
  mif1: 'image/heif',
  msf1: 'image/heif',
  avif: 'image/avif',
  avis: 'image/avif',
};

/** An SVG document: optional BOM, XML declaration, comments and doctype, then an <svg element. */
function looksLikeSvg(head: Uint8Array): boolean {
  const text = Buffer.from(head.subarray(0, 4096)).toString('utf8').replace(/^\uFEFF/, '');
  return /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]/i.test(text);
}
