// What a file is, by its bytes. The type a sender declares is only a claim: an "image/png" that
// is an HTML page, or a "report.pdf" that is a Windows program. Files keep the type their bytes
// show (file-type reads the signatures); bytes with no signature are text or an unknown binary,
// and a claim they cannot back is replaced by a type that makes no promise.
import { fileTypeFromBuffer } from 'file-type';

export interface Sniffed {
  contentType: string;
  /** The declared type was not what the bytes are. */
  mismatch: boolean;
}

const GENERIC = new Set(['application/octet-stream', 'binary/octet-stream', 'application/x-download', 'application/download', '']);
const isTextual = (t: string) => t.startsWith('text/') || /\/(json|xml|javascript|x-sh|csv)$/.test(t) || t.endsWith('+xml') || t.endsWith('+json');
/** Types with a signature file-type knows: claiming one without it is a false claim. */
const hasSignature = (t: string) => /^(image|audio|video)\//.test(t) || /\/(pdf|zip|gzip|x-7z-compressed|vnd\.openxmlformats|msword|vnd\.ms-)/.test(t);

/** Text: no NUL byte and valid UTF-8 (or plain 8-bit text) in the first 8 KiB. */
function looksLikeText(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return false;
  let control = 0;
  for (const b of head) if (b < 9 || (b > 13 && b < 32)) control++;
  return control <= head.length / 100;
}

export async function sniffContentType(bytes: Buffer, declared: string): Promise<Sniffed> {
  const claim = declared.split(';')[0]!.trim().toLowerCase();
  const found = await fileTypeFromBuffer(bytes).catch(() => undefined);
  if (found) {
    const program = /x-msdownload|x-executable|x-elf|x-mach|x-dosexec/.test(found.mime);
    const sameFamily = claim.split('/')[0] === found.mime.split('/')[0];
    const same = found.mime === claim || GENERIC.has(claim) || (sameFamily && !program);
    return { contentType: found.mime, mismatch: !same };
  }
  if (looksLikeText(bytes)) {
    if (isTextual(claim) || claim === 'image/svg+xml') return { contentType: claim, mismatch: false };
    return { contentType: 'text/plain', mismatch: !GENERIC.has(claim) };
  }
  if (hasSignature(claim) || isTextual(claim)) return { contentType: 'application/octet-stream', mismatch: true };
  return { contentType: claim || 'application/octet-stream', mismatch: false };
}
