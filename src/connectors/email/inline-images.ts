// Images a mail shows inside its HTML (src="cid:…"), whichever way the client packed them:
// Apple Mail and Outlook in multipart/related with Content-Disposition: inline, Lotus Notes
// and Exchange with no disposition at all, Thunderbird sometimes as an "attachment". Each one
// the HTML references is put in place as a data: URL (the agent app's HTML pane is a sandbox
// with no cookies, so it could not load our attachment URLs) and is not listed as a file.
// Past the size budget an image stays a file and the HTML says where it went.
import type { Attachment } from 'mailparser';

export interface InlineImage {
  fileName: string;
  contentType: string;
  size: number;
}

export interface EmbeddedImages {
  html: string;
  /** The attachments now shown in place: not to be listed as files. */
  embedded: Set<Attachment>;
  images: InlineImage[];
}

/** Content-IDs compare without angle brackets, percent-escapes or case (clients differ in all three). */
function normalisedCid(cid: string): string {
  let c = cid.trim().replace(/^<|>$/g, '');
  try {
    c = decodeURIComponent(c);
  } catch {
    // not escaped
  }
  return c.toLowerCase();
}

const CID_SRC = /(\bsrc\s*=\s*)(["']?)cid:([^"'\s>]+)\2/gi;
const attribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function embedInlineImages(html: string, attachments: Attachment[], budgetBytes: number): EmbeddedImages {
  const byCid = new Map<string, Attachment>();
  for (const a of attachments) {
    const cid = a.cid ?? a.contentId;
    if (cid && a.contentType.startsWith('image/')) byCid.set(normalisedCid(cid), a);
  }
  const embedded = new Set<Attachment>();
  const images: InlineImage[] = [];
  const urls = new Map<Attachment, string | null>();
  let left = budgetBytes;
  const out = html.replace(CID_SRC, (_all, src: string, _q: string, cid: string) => {
    const a = byCid.get(normalisedCid(cid));
    if (!a) return `alt="[an image the mail did not include]" data-missing-cid="${attribute(cid)}"`;
    if (!urls.has(a)) {
      const fits = a.size <= left;
      urls.set(a, fits ? `data:${a.contentType};base64,${a.content.toString('base64')}` : null);
      if (fits) {
        left -= a.size;
        embedded.add(a);
        images.push({ fileName: a.filename ?? '', contentType: a.contentType, size: a.size });
      }
    }
    const url = urls.get(a);
    return url ? `${src}"${url}"` : `alt="[${attribute(a.filename ?? 'image')}: too large to show here, in the files below]"`;
  });
  return { html: out, embedded, images };
}
