// The small JSON file beside each cached media file: what the bytes are (type, name, size, digest)
// and where they came from. It is written after the bytes are in place, so a sidecar whose size
// matches its file is the mark of a complete entry; anything else is a leftover that prune removes.
import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { writeDurably } from './durable-write.ts';
import type { MediaPaths } from './media-names.ts';

export const sidecarSchema = z.object({
  messageId: z.string(),
  /** outgoing: the agent's own file, kept from before the send; relay: downloaded from the relay. */
  origin: z.enum(['outgoing', 'relay']),
  mimeType: z.string(),
  filename: z.string().nullable(),
  size: z.number().int().nonnegative(),
  /** SHA-256 of the bytes, base64 (the spelling the relay uses). */
  sha256: z.string(),
  storedAt: z.number(),
});
export type Sidecar = z.infer<typeof sidecarSchema>;

export async function writeSidecar(paths: MediaPaths, sidecar: Sidecar): Promise<void> {
  await writeDurably(paths.sidecar, `${JSON.stringify(sidecar)}\n`);
}

/** The complete entry at `paths`, or null when there is none (or only part of one). */
export async function readComplete(paths: MediaPaths, messageId: string): Promise<Sidecar | null> {
  let sidecar: Sidecar;
  try {
    const parsed = sidecarSchema.safeParse(JSON.parse(await readFile(paths.sidecar, 'utf8')));
    if (!parsed.success) return null;
    sidecar = parsed.data;
  } catch {
    return null;
  }
  // A different id with the same hash cannot happen in practice; checking it costs nothing.
  if (sidecar.messageId !== messageId) return null;
  try {
    const info = await stat(paths.data);
    return info.isFile() && info.size === sidecar.size ? sidecar : null;
  } catch {
    return null;
  }
}
