// Where a message's media lives in the cache folder. Names come from a hash of the message id, so no
// id (a wamid, a mutation id, or anything a caller makes up: "../../etc", "con", NUL) can pick a path.
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** The bytes; the sidecar beside it says what they are; `.part` is a download still in progress. */
export interface MediaPaths {
  key: string;
  data: string;
  sidecar: string;
  part: string;
}

const KEY = /^[0-9a-f]{64}$/;

export function mediaKey(messageId: string): string {
  return createHash('sha256').update(messageId, 'utf8').digest('hex');
}

export function mediaPaths(dir: string, messageId: string): MediaPaths {
  return pathsOfKey(dir, mediaKey(messageId));
}

export function pathsOfKey(dir: string, key: string): MediaPaths {
  return {
    key,
    data: join(dir, `${key}.bin`),
    sidecar: join(dir, `${key}.json`),
    part: join(dir, `${key}.part`),
  };
}

/** The key a cache file name belongs to, or null for a name the cache never writes. */
export function keyOfFileName(name: string): string | null {
  const dot = name.indexOf('.');
  const key = dot < 0 ? name : name.slice(0, dot);
  return KEY.test(key) ? key : null;
}
