// Writes that survive a crash or a power cut: into a temp file, fsync, rename over the target, then
// fsync the folder so the rename itself is on disk. A reader sees the old file or the new, never half.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function syncFolder(dir: string): Promise<void> {
  // Windows cannot open a folder for fsync; its renames are durable enough through NTFS's journal.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces `target` with `bytes` atomically and durably. */
export async function writeDurably(target: string, bytes: Uint8Array | string): Promise<void> {
  const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncFolder(dirname(target));
}

/** Moves a complete, already synced file into place durably. */
export async function renameDurably(from: string, to: string): Promise<void> {
  await rename(from, to);
  await syncFolder(dirname(to));
}
