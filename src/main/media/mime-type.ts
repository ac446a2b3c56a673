// MIME types come from customers (through Meta) and agents: only a plain `type/subtype` with simple
// parameters (`audio/ogg; codecs=opus`) is kept; anything else is served as opaque bytes.
const PLAIN_MIME =
  /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(\s*;\s*[a-z0-9_.+-]+=("[a-z0-9_.+/ -]*"|[a-z0-9_.+-]+))*$/i;
const MAX_LENGTH = 200;

export const OPAQUE_MIME = 'application/octet-stream';

export function safeMimeType(value: string | null | undefined): string {
  const text = value?.trim() ?? '';
  return text.length <= MAX_LENGTH && PLAIN_MIME.test(text) ? text.toLowerCase() : OPAQUE_MIME;
}

/** The `type/subtype` part alone, lower case. */
export function essence(mimeType: string): string {
  return (mimeType.split(';')[0] ?? '').trim().toLowerCase();
}
