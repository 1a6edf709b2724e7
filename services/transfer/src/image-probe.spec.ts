import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { probeImage } from './image-probe.js';

function png(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr, deflateSync(Buffer.alloc(10))]);
}

test('PNG, GIF, JPEG and BMP give their format and size', () => {
  assert.deepEqual(probeImage(png(640, 480)), { mimeType: 'image/png', width: 640, height: 480 });
  const gif = Buffer.from('GIF89a\x20\x03\x58\x02\x00\x00', 'latin1');
  assert.deepEqual(probeImage(gif), { mimeType: 'image/gif', width: 800, height: 600 });
  // SOI, an APP0 segment of 16 bytes, then SOF0 with height 300 and width 400.
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...Buffer.alloc(14), 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0x2c, 0x01, 0x90, 0x03]);
  assert.deepEqual(probeImage(jpeg), { mimeType: 'image/jpeg', width: 400, height: 300 });
  const bmp = Buffer.alloc(26);
  bmp.write('BM', 0, 'latin1');
  bmp.writeInt32LE(32, 18);
  bmp.writeInt32LE(-16, 22);
  assert.deepEqual(probeImage(bmp), { mimeType: 'image/bmp', width: 32, height: 16 });
});

test('what is not an image by its bytes is undefined, whatever it is called', () => {
  assert.equal(probeImage(Buffer.from('<html><body>not found</body></html>')), undefined);
  assert.equal(probeImage(Buffer.from('%PDF-1.7')), undefined);
  assert.equal(probeImage(Buffer.alloc(0)), undefined);
});

test('TIFF, HEIC, AVIF, ICO and SVG are recognised by their bytes', () => {
  assert.equal(probeImage(Buffer.from('II*\u0000\u0008\u0000\u0000\u0000', 'latin1'))?.mimeType, 'image/tiff');
  assert.equal(probeImage(Buffer.from('MM\u0000*\u0000\u0000\u0000\u0008', 'latin1'))?.mimeType, 'image/tiff');
  assert.equal(probeImage(Buffer.from('\u0000\u0000\u0000\u0018ftypheic\u0000\u0000\u0000\u0000', 'latin1'))?.mimeType, 'image/heic');
  assert.equal(probeImage(Buffer.from('\u0000\u0000\u0000\u001cftypavif\u0000\u0000\u0000\u0000', 'latin1'))?.mimeType, 'image/avif');
  assert.equal(probeImage(Buffer.from('\u0000\u0000\u0000\u0018ftypisom\u0000\u0000\u0000\u0000', 'latin1')), undefined, 'an MP4 is not an image');
  assert.deepEqual(probeImage(Buffer.from([0, 0, 1, 0, 1, 0, 32, 32, 0, 0])), { mimeType: 'image/x-icon', width: 32, height: 32 });
  assert.equal(probeImage(Buffer.from('<?xml version="1.0"?>\n<!-- drawn -->\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'))?.mimeType, 'image/svg+xml');
  assert.equal(probeImage(Buffer.from('<html><svg></svg></html>')), undefined);
});
