// The demo's media, drawn in code: a customer's photo of the embroidered blouse she asks about
// (white cotton, a flowered yoke around the neckline, as Oaxacan blouses have) and a voice note.
import { encodePng } from './png.ts';
import { silentOpusVoiceNote } from './ogg-opus.ts';

const SIZE = 192;
const WALL_TOP = [231, 190, 160];
const WALL_BOTTOM = [196, 120, 92];
const COTTON = [250, 246, 236];
const SHADOW = [226, 219, 204];
const FLOWERS = [
  [214, 40, 57],
  [238, 66, 154],
  [250, 190, 40],
  [40, 110, 200],
  [46, 160, 90],
] as const;

const CENTER = SIZE / 2;

function insideBlouse(x: number, y: number): boolean {
  const dx = Math.abs(x - CENTER);
  const body = y >= 58 && y <= 184 && dx <= 44 + (y - 58) * 0.12;
  // Sleeves fall from the shoulders (y 58) outwards and down to the cuffs.
  const sleeve = y >= 58 && y <= 112 && dx <= 92 - (y - 58) * 0.25 && dx >= 40 + (y - 58) * 0.2 - 8;
  const neckline = Math.hypot(x - CENTER, y - 56) < 20;
  return (body || sleeve) && !neckline;
}

/** Flowers on a band around the neckline, and on each cuff. */
function flowerAt(x: number, y: number): readonly number[] | null {
  const yoke = Math.hypot(x - CENTER, y - 56);
  const onYoke = yoke >= 23 && yoke <= 37;
  const onCuff = Math.abs(x - CENTER) >= 70 && y >= 70 && y <= 100;
  if (!onYoke && !onCuff) return null;
  const cellX = Math.floor(x / 10);
  const cellY = Math.floor(y / 10);
  const petal = Math.hypot((x % 10) - 5, (y % 10) - 5);
  if (petal > 4) return null;
  if (petal < 1.5) return FLOWERS[2]; // yellow heart
  return FLOWERS[(cellX * 3 + cellY * 7) % FLOWERS.length] ?? null;
}

function mix(a: readonly number[], b: readonly number[], t: number): number[] {
  return a.map((value, i) => Math.round(value + ((b[i] ?? value) - value) * t));
}

/** A 192x192 PNG photo of an embroidered blouse on a terracotta wall. */
export function blousePhoto(): Buffer {
  return encodePng(SIZE, SIZE, (x, y) => {
    if (!insideBlouse(x, y)) return mix(WALL_TOP, WALL_BOTTOM, y / SIZE);
    const flower = flowerAt(x, y);
    if (flower !== null) return flower;
    // A soft fold down the middle, so the cotton does not look flat.
    return mix(COTTON, SHADOW, Math.max(0, 1 - Math.abs(x - CENTER) / 10) * 0.6);
  });
}

/** A few seconds of voice note (silent: there is no Opus encoder here). */
export function voiceNote(seconds: number): Buffer {
  return silentOpusVoiceNote(seconds);
}
