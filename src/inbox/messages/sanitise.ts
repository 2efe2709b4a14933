// Inbound HTML is untrusted: it is cleaned before it is stored, so no agent ever renders a
// customer's script, event handler, form or tracking pixel. Remote images are blocked by
// default (they reveal to the sender that and when an agent read the mail); inline images
// (cid:) and data: images stay.
import sanitizeHtml from 'sanitize-html';

export interface SanitiseOptions {
  allowRemoteImages?: boolean;
}

export function sanitiseHtml(html: string, options: SanitiseOptions = {}): string {
  return sanitizeHtml(html, {
    allowedTags: [
      ...sanitizeHtml.defaults.allowedTags,
      'img', 'span', 'font', 'center', 'del', 'ins', 'sub', 'sup', 'small', 'big', 'u', 's',
    ],
    allowedAttributes: {
      '*': ['style', 'title', 'dir', 'lang', 'align'],
      a: ['href', 'name', 'target', 'rel'],
      img: ['src', 'alt', 'width', 'height', 'data-blocked-src'],
      td: ['colspan', 'rowspan', 'width', 'valign'],
      th: ['colspan', 'rowspan', 'width', 'valign'],
      table: ['width', 'cellpadding', 'cellspacing', 'border'],
      font: ['color', 'size', 'face'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel', 'cid', 'data'],
    allowedSchemesByTag: { img: ['http', 'https', 'cid', 'data'] },
    allowProtocolRelative: false,
    // Styles may not load anything (url(...)) or position content over the agent's UI.
    allowedStyles: {
      '*': {
        color: [/^[#\w(),.\s%]+$/],
        'background-color': [/^[#\w(),.\s%]+$/],
        'text-align': [/^(left|right|center|justify)$/],
        'font-weight': [/^\w+$/],
        'font-style': [/^\w+$/],
        'font-size': [/^[\d.]+(px|pt|em|rem|%)$/],
        'text-decoration': [/^[\w\s]+$/],
      },
    },
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' } }),
      img: (tagName, attribs) => {
        const src = attribs.src ?? '';
        if (options.allowRemoteImages || !/^https?:/i.test(src)) return { tagName, attribs };
        const { src: _blocked, ...rest } = attribs;
        return { tagName, attribs: { ...rest, 'data-blocked-src': src, alt: attribs.alt || 'remote image blocked' } };
      },
    },
  });
}

/** A one-line preview for lists. */
export function previewOf(text: string, max = 160): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
