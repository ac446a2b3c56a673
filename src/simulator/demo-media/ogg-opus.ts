// A minimal Ogg Opus writer for the demo's voice note (WhatsApp voice notes are
// "audio/ogg; codecs=opus"). There is no encoder here, so the audio is silence: every packet is the
// well-known 20 ms CELT silence frame. Layout per RFC 7845: an OpusHead page, an OpusTags page,
// then audio pages whose granule position counts 48 kHz samples (pre-skip included).

const SILENT_FRAME = Buffer.from([0xf8, 0xff, 0xfe]);
const SAMPLES_PER_FRAME = 960; // 20 ms at 48 kHz
const PRE_SKIP = 312;
const MAX_SEGMENTS = 255;

// Ogg's CRC-32: polynomial 0x04c11db7, not reflected, initial value 0 (unlike zlib's).
const CRC_TABLE = Array.from({ length: 256 }, (_, index) => {
  let value = index << 24;
  for (let bit = 0; bit < 8; bit++) value = value & 0x80000000 ? (value << 1) ^ 0x04c11db7 : value << 1;
  return value >>> 0;
});

function oggCrc(bytes: Buffer): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ byte) & 0xff] ?? 0)) >>> 0;
  return crc;
}

const FLAG_BOS = 0x02;
const FLAG_EOS = 0x04;
const SERIAL = 0x56656e74; // "Vent"

/** One page holding whole packets, each shorter than 255 bytes (true of everything we write). */
function page(sequence: number, flags: number, granule: bigint, packets: readonly Buffer[]): Buffer {
  const header = Buffer.alloc(27 + packets.length);
  header.write('OggS', 0, 'ascii');
  header.writeUInt8(0, 4); // version
  header.writeUInt8(flags, 5);
  header.writeBigUInt64LE(granule, 6);
  header.writeUInt32LE(SERIAL, 14);
  header.writeUInt32LE(sequence, 18);
  // bytes 22-25: CRC, computed over the whole page with this field zero
  header.writeUInt8(packets.length, 26);
  packets.forEach((packet, index) => header.writeUInt8(packet.length, 27 + index));
  const whole = Buffer.concat([header, ...packets]);
  whole.writeUInt32LE(oggCrc(whole), 22);
  return whole;
}

function opusHead(): Buffer {
  const head = Buffer.alloc(19);
  head.write('OpusHead', 0, 'ascii');
  head.writeUInt8(1, 8); // version
  head.writeUInt8(1, 9); // mono
  head.writeUInt16LE(PRE_SKIP, 10);
  head.writeUInt32LE(48_000, 12); // input sample rate (informational)
  head.writeInt16LE(0, 16); // output gain
  head.writeUInt8(0, 18); // channel mapping family 0
  return head;
}

function opusTags(): Buffer {
  const vendor = Buffer.from('ventana-simulator', 'ascii');
  const tags = Buffer.alloc(8 + 4 + vendor.length + 4);
  tags.write('OpusTags', 0, 'ascii');
  tags.writeUInt32LE(vendor.length, 8);
  vendor.copy(tags, 12);
  tags.writeUInt32LE(0, 12 + vendor.length); // no user comments
  return tags;
}

/** A silent Ogg Opus voice note of `seconds` (rounded to 20 ms frames). */
export function silentOpusVoiceNote(seconds: number): Buffer {
  const frames = Math.max(1, Math.round((seconds * 1000) / 20));
  const pages = [page(0, FLAG_BOS, 0n, [opusHead()]), page(1, 0, 0n, [opusTags()])];
  for (let written = 0; written < frames; written += MAX_SEGMENTS) {
    const count = Math.min(MAX_SEGMENTS, frames - written);
    const last = written + count >= frames;
    const granule = BigInt(PRE_SKIP + (written + count) * SAMPLES_PER_FRAME);
    pages.push(
      page(
        pages.length,
        last ? FLAG_EOS : 0,
        granule,
        Array.from({ length: count }, () => SILENT_FRAME),
      ),
    );
  }
  return Buffer.concat(pages);
}
