// Parses what `reg query <key>` prints: a header line with the key, then one line per value,
// four spaces before the name and between name, type and data, e.g.
//     RetentionDays    REG_DWORD    0x1e

export type RegistryValue = string | number | readonly string[];

export interface RegistryValues {
  readonly values: ReadonlyMap<string, RegistryValue>;
  readonly problems: readonly string[];
}

const VALUE_LINE = /^ {4}(.+?) {4}(REG_[A-Z0-9_]+)(?: {4}(.*))?$/;

export function parseRegQueryOutput(output: string): RegistryValues {
  const values = new Map<string, RegistryValue>();
  const problems: string[] = [];
  for (const line of output.split(/\r?\n/)) {
    const match = VALUE_LINE.exec(line);
    if (!match) continue; // blank lines, the key header and subkeys
    const [, name = '', type = '', data = ''] = match;
    const value = decodeValue(type, data);
    if (value === undefined) problems.push(`${name}: has registry type ${type}, which Ventana does not read`);
    else values.set(name, value);
  }
  return { values, problems };
}

function decodeValue(type: string, data: string): RegistryValue | undefined {
  switch (type) {
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return data;
    case 'REG_DWORD':
    case 'REG_QWORD':
      return Number.parseInt(data, 16); // reg prints numbers as 0x-prefixed hex
    case 'REG_MULTI_SZ':
      // reg prints the separators as a literal "\0"
      return data === '' ? [] : data.split('\\0').filter((part) => part !== '');
    default:
      return undefined;
  }
}
