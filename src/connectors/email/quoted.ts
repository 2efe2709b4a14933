// Customers' replies quote everything before them. Agents and the analysis want what is
// new: the text above the first quote header ("On … wrote:") or block of "> " lines.
const QUOTE_HEADERS = [
  /^On .{1,300}wrote:\s*$/m, // Gmail, Apple Mail, Thunderbird
  /^-{2,}\s*Original Message\s*-{2,}\s*$/im, // Outlook
  /^_{10,}\s*\n\s*From: /m, // Outlook (web)
  /^From: .{1,300}\n(Sent|Date): .+\n(To|Subject): /m, // Outlook (desktop)
  /^Le .{1,300}a écrit\s*:\s*$/m,
  /^El .{1,300}escribió:\s*$/m,
  /^Am .{1,300}schrieb .{1,200}:\s*$/m,
];

export function newContentOf(text: string): { text: string; trimmed: boolean } {
  let cut = text.length;
  for (const re of QUOTE_HEADERS) {
    const m = re.exec(text);
    if (m && m.index < cut) cut = m.index;
  }
  // A trailing block of "> " lines (quoted without a header).
  const lines = text.slice(0, cut).split('\n');
  while (lines.length && (/^\s*>/.test(lines.at(-1)!) || lines.at(-1)!.trim() === '')) lines.pop();
  const fresh = lines.join('\n').trim();
  // Nothing new (a forward, a quote-only mail): keep everything rather than show nothing.
  if (!fresh) return { text: text.trim(), trimmed: false };
  return { text: fresh, trimmed: fresh.length < text.trim().length };
}
