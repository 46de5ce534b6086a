/**
 * Markdown → Telegram HTML (`parse_mode: "HTML"`, what OpenClaw sends by default): bold, italic,
 * strikethrough, inline code, fenced code (`<pre><code class="language-x">`), links (http, https,
 * tg, mailto only) and headings as bold; everything else is escaped text. Telegram knows only the
 * entities `&lt; &gt; &amp; &quot;`.
 */

/** Escapes text for Telegram HTML. */
export function escapeTelegramHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const SAFE_URL = /^(https?:\/\/|tg:\/\/|mailto:)/i;

/** Converts the Markdown an agent writes into Telegram's HTML subset. */
export function toTelegramHtml(markdown: string): string {
  const slots: string[] = [];
  const keep = (html: string) => `\u0000${slots.push(html) - 1}\u0000`;
  let s = markdown.replace(/\u0000/g, "").replace(/\r\n/g, "\n");

  // Fenced code blocks (an unclosed fence runs to the end).
  s = s.replace(/^\s{0,3}(`{3,}|~{3,})([^\n`]*)\n([\s\S]*?)(?:\n\s{0,3}\1[ \t]*(?=\n|$)|$(?![\s\S]))/gm, (_m, _fence: string, info: string, body: string) => {
    const lang = info.trim().split(/\s+/)[0] ?? "";
    const cls = /^[\w+#.-]+$/.test(lang) ? ` class="language-${escapeTelegramHtml(lang)}"` : "";
    return keep(`<pre><code${cls}>${escapeTelegramHtml(body)}</code></pre>`);
  });
  // Inline code.
  s = s.replace(/(`+)([^`\n]|[^`\n][\s\S]*?[^`\n])\1(?!`)/g, (_m, _t: string, body: string) => keep(`<code>${escapeTelegramHtml(body)}</code>`));
  // Links (before escaping, so the URL is taken as written).
  s = s.replace(/\[([^\]\n]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, (m, label: string, url: string) => {
    if (!SAFE_URL.test(url)) return m;
    return keep(`<a href="${escapeTelegramHtml(url)}">${inline(escapeTelegramHtml(label))}</a>`);
  });

  s = escapeTelegramHtml(s);
  // Headings become bold lines.
  s = s.replace(/^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/gm, (_m, title: string) => `<b>${title}</b>`);
  s = inline(s);
  return s.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => slots[Number(i)] ?? "");
}

/** Bold, italic and strikethrough on already-escaped text. */
function inline(s: string): string {
  return s
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, "<b>$1</b>")
    .replace(/(^|[^\w])__(?=\S)([\s\S]*?\S)__(?!\w)/g, "$1<b>$2</b>")
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, "<s>$1</s>")
    .replace(/(^|[^*\w])\*(?=[^\s*])([^*\n]*?[^\s*])\*(?!\*)/g, "$1<i>$2</i>")
    .replace(/(^|[^\w])_(?=[^\s_])([^_\n]*?[^\s_])_(?!\w)/g, "$1<i>$2</i>");
}
