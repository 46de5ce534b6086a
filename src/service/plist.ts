/** Just enough XML property list to write launchd jobs and read them back. */

export type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue };

const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const unescapeXml = (s: string) =>
  s.replace(/&(lt|gt|quot|apos|amp|#(\d+)|#x([0-9a-fA-F]+));/g, (_, name: string, dec?: string, hex?: string) =>
    dec ? String.fromCodePoint(Number(dec)) : hex ? String.fromCodePoint(Number.parseInt(hex, 16)) : ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" } as Record<string, string>)[name]!,
  );

function renderValue(v: PlistValue, indent: string): string[] {
  if (typeof v === "string") return [`${indent}<string>${escapeXml(v)}</string>`];
  if (typeof v === "boolean") return [`${indent}<${v}/>`];
  if (typeof v === "number") return [`${indent}<integer>${Math.trunc(v)}</integer>`];
  if (Array.isArray(v)) return [`${indent}<array>`, ...v.flatMap((x) => renderValue(x, `${indent}  `)), `${indent}</array>`];
  return [`${indent}<dict>`, ...Object.entries(v).flatMap(([k, x]) => [`${indent}  <key>${escapeXml(k)}</key>`, ...renderValue(x, `${indent}  `)]), `${indent}</dict>`];
}

export function renderPlist(root: { [key: string]: PlistValue }): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    ...renderValue(root, ""),
    "</plist>",
    "",
  ].join("\n");
}

/** Parses an XML plist (dict, array, string, integer, real, true, false, date, data). Throws on malformed input. */
export function parsePlist(text: string): PlistValue {
  const tokens = [...text.replace(/<!--[\s\S]*?-->/g, "").matchAll(/<(\/?)([A-Za-z]+)\s*[^>]*?(\/?)>|([^<]+)/g)];
  let i = 0;
  const skipText = () => {
    while (i < tokens.length && tokens[i]![4] !== undefined) i++;
  };
  const readText = (tag: string): string => {
    let out = "";
    while (i < tokens.length && tokens[i]![4] !== undefined) out += tokens[i++]![4];
    const close = tokens[i++];
    if (close?.[1] !== "/" || close[2] !== tag) throw new Error(`plist: expected </${tag}>`);
    return unescapeXml(out);
  };
  const value = (): PlistValue => {
    skipText();
    const t = tokens[i++];
    if (!t || t[1] === "/") throw new Error("plist: unexpected end");
    const tag = t[2]!;
    const selfClosing = t[3] === "/";
    if (tag === "true" || tag === "false") {
      if (!selfClosing) readText(tag);
      return tag === "true";
    }
    if (tag === "string" || tag === "date" || tag === "data") return selfClosing ? "" : readText(tag);
    if (tag === "integer" || tag === "real") return Number(readText(tag).trim());
    if (tag === "array") {
      const out: PlistValue[] = [];
      if (selfClosing) return out;
      for (;;) {
        skipText();
        const n = tokens[i];
        if (n && n[1] === "/" && n[2] === "array") {
          i++;
          return out;
        }
        out.push(value());
      }
    }
    if (tag === "dict") {
      const out: { [key: string]: PlistValue } = {};
      if (selfClosing) return out;
      for (;;) {
        skipText();
        const n = tokens[i++];
        if (!n) throw new Error("plist: unterminated dict");
        if (n[1] === "/" && n[2] === "dict") return out;
        if (n[2] !== "key") throw new Error(`plist: expected <key>, got <${n[2]}>`);
        const key = readText("key");
        out[key] = value();
      }
    }
    throw new Error(`plist: unsupported <${tag}>`);
  };
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t[2] === "plist" && t[1] !== "/") {
      i++;
      return value();
    }
    i++;
  }
  throw new Error("plist: no <plist> element");
}
