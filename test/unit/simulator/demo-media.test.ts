// The demo's photo and voice note are generated in code; these check they are well-formed files
// a browser can decode: a PNG with valid chunks and a full image, an Ogg Opus stream with valid pages.
import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { blousePhoto, voiceNote } from '../../../src/simulator/demo-media/samples.ts';

interface PngChunk {
  type: string;
  data: Buffer;
  crcOk: boolean;
}

function pngChunks(file: Buffer): PngChunk[] {
  const chunks: PngChunk[] = [];
  for (let offset = 8; offset < file.length;) {
    const length = file.readUInt32BE(offset);
    const typed = file.subarray(offset + 4, offset + 8 + length);
    chunks.push({
      type: typed.subarray(0, 4).toString('ascii'),
      data: typed.subarray(4),
      crcOk: crc32(typed) === file.readUInt32BE(offset + 8 + length),
    });
    offset += 12 + length;
  }
  return chunks;
}

// Ogg pages checksum with CRC-32/MPEG-2 style (poly 0x04c11db7, unreflected, init 0), written out
// bit by bit here, independently of the table-driven writer.
function oggCrc(bytes: Buffer): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 24;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
    crc >>>= 0;
  }
  return crc;
}

function oggPages(file: Buffer) {
  const pages: { flags: number; granule: bigint; packets: Buffer[]; crcOk: boolean }[] = [];
  for (let offset = 0; offset < file.length;) {
    expect(file.toString('ascii', offset, offset + 4)).toBe('OggS');
    const segments = file.readUInt8(offset + 26);
    const lacing = [...file.subarray(offset + 27, offset + 27 + segments)];
    const bodyStart = offset + 27 + segments;
    const bodyLength = lacing.reduce((sum, n) => sum + n, 0);
    const page = Buffer.from(file.subarray(offset, bodyStart + bodyLength));
    const stored = page.readUInt32LE(22);
    page.writeUInt32LE(0, 22);
    let at = bodyStart;
    const packets = lacing.map((n) => {
      const packet = file.subarray(at, at + n);
      at += n;
      return packet;
    });
    pages.push({
      flags: file.readUInt8(offset + 5),
      granule: file.readBigUInt64LE(offset + 6),
      packets,
      crcOk: oggCrc(page) === stored,
    });
    offset = bodyStart + bodyLength;
  }
  return pages;
}

describe('the demo photo', () => {
  it('is a 192x192 RGB PNG whose every chunk checks and whose pixels inflate completely', () => {
    const file = blousePhoto();
    expect(file.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const chunks = pngChunks(file);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(chunks.every((c) => c.crcOk)).toBe(true);
    const header = chunks[0]?.data ?? Buffer.alloc(13);
    expect([header.readUInt32BE(0), header.readUInt32BE(4), header[8], header[9]]).toEqual([192, 192, 8, 2]);
    const pixels = inflateSync(chunks[1]?.data ?? Buffer.alloc(0));
    expect(pixels.length).toBe(192 * (1 + 192 * 3));
  });

  it('is a picture, not a flat colour: the embroidery brings many colours', () => {
    const pixels = inflateSync(pngChunks(blousePhoto())[1]?.data ?? Buffer.alloc(0));
    const colours = new Set<string>();
    for (let row = 0; row < 192; row++) {
      const start = row * (1 + 192 * 3) + 1;
      for (let x = 0; x < 192; x++)
        colours.add(pixels.subarray(start + x * 3, start + x * 3 + 3).toString('hex'));
    }
    expect(colours.size).toBeGreaterThan(20);
  });
});

describe('the demo voice note', () => {
  it('is an Ogg Opus stream: OpusHead, OpusTags, then 20 ms frames lasting the seconds asked for', () => {
    const pages = oggPages(voiceNote(6));
    expect(pages.every((page) => page.crcOk)).toBe(true);
    expect(pages[0]?.flags).toBe(0x02); // beginning of stream
    expect(pages.at(-1)?.flags).toBe(0x04); // end of stream
    const head = pages[0]?.packets[0] ?? Buffer.alloc(19);
    expect(head.toString('ascii', 0, 8)).toBe('OpusHead');
    expect(head.readUInt8(9)).toBe(1); // mono
    const preSkip = head.readUInt16LE(10);
    expect(pages[1]?.packets[0]?.toString('ascii', 0, 8)).toBe('OpusTags');
    const frames = pages.slice(2).flatMap((page) => page.packets);
    expect(frames).toHaveLength(300);
    expect(Number((pages.at(-1)?.granule ?? 0n) - BigInt(preSkip)) / 48_000).toBe(6);
  });
});
