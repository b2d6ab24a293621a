/**
 * A markdown file's YAML front matter (between "---" lines at its very top), read as flat
 * `key: value` pairs, and the body after it. Nested YAML is kept as its raw text; without front
 * matter `fields` is empty and `body` is the whole text.
 */
export function splitFrontMatter(text: string): { fields: Record<string, string>; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!match) return { fields: {}, body: text };
  const fields: Record<string, string> = {};
  let last: string | null = null;
  for (const line of match[1].split(/\r?\n/)) {
    const pair = /^([A-Za-z0-9_-]+):\s*(.*)$/.exec(line);
    if (pair) {
      last = pair[1];
      fields[last] = unquote(pair[2].trim());
    } else if (last && /^\s+\S/.test(line)) {
      fields[last] = `${fields[last]} ${line.trim()}`.trim(); // a folded continuation line
    }
  }
  return { fields, body: text.slice(match[0].length) };
}

function unquote(value: string): string {
  if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) {
    return value.slice(1, -1);
  }
  return value === ">" || value === "|" ? "" : value;
}
