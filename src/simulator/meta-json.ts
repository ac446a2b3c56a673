// Meta serialises webhook bodies with every non-ASCII character escaped as \uXXXX (emoji become
// surrogate pairs: \ud83d\ude00). Posting the same bytes keeps relays honest: a relay that hashes
// a decoded and re-encoded body instead of the raw bytes fails on the first accent.

/** JSON text as Meta writes it: plain JSON.stringify, then non-ASCII UTF-16 units as \uXXXX. */
export function metaJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
