// An article's Markdown as HTML for the help page and the widget: rendered by marked, then
// cleaned like any HTML we show (sanitise.ts), so an article cannot carry a script.
import { marked } from 'marked';
import { sanitiseHtml } from '../messages/sanitise';

export function articleHtml(markdown: string): string {
  return sanitiseHtml(marked.parse(markdown, { async: false, gfm: true, breaks: false }), { allowRemoteImages: true });
}

/** The article as plain text (a reply inserted as text; suggestions): Markdown's marks dropped. */
export function articleText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, (block) => block.replace(/```\w*\n?/g, ''))
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/(\*\*|__)(.*?)\1/g, '$2')
    .replace(/(\*|_)(.*?)\1/g, '$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/^\s*[-*+]\s+/gm, '• ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
