// Template variables as Meta writes them: `{{1}}` (positional) or `{{order_id}}` (named).
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** The distinct variables of `text`, positional ones in number order, named ones as they appear. */
export function placeholdersIn(text: string): string[] {
  const names = [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1]!))];
  const positional = names.every((name) => /^\d+$/.test(name));
  return positional ? names.sort((a, b) => Number(a) - Number(b)) : names;
}

/** `text` with each variable replaced by its value; a variable without a value is left as it is. */
export function fillPlaceholders(text: string, values: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}
