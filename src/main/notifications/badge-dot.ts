// The Windows taskbar overlay: a 16 x 16 red dot (Windows draws overlays at that size and shows no
// count of its own), encoded as a PNG here so that no image file has to ship for it.
import { crc32, deflateSync } from 'node:zlib';

const SIZE = 16;
const RED = [0xe5, 0x39, 0x35] as const;

export function badgeDotPng(): Buffer {
  const rows: number[] = [];
  const centre = (SIZE - 1) / 2;
  const radius = SIZE / 2;
  for (let y = 0; y < SIZE; y++) {
    rows.push(0); // filter: none
    for (let x = 0; x < SIZE; x++) {
      // Soft edge: a pixel's coverage of the disc decides its opacity.
      const distance = Math.hypot(x - centre, y - centre);
      const alpha = Math.round(Math.min(1, Math.max(0, radius - distance)) * 255);
      rows.push(...RED, alpha);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}
