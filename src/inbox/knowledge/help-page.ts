// The public help page of an inbox: its published articles for customers, searchable, each on
// its own page with "Was this helpful?". Read-only, no login, no script; the page's own words
// in the reader's language (English, Spanish, German, French, Portuguese), articles in theirs first.
import { Router, type Request, type Response } from 'express';
import type { Database } from '../../platform/db/client';
import { isUuid } from '../../platform/ttl-cache';
import type { KnowledgeBase } from './articles';
import type { HelpCenter } from './help-center';
import { articleHtml } from './markdown';

const WORDS = {
  en: { help: 'Help', search: 'Search', placeholder: 'How can we help?', results: (n: number, q: string) => `${n} article${n === 1 ? '' : 's'} for "${q}"`, none: 'No article matches. Try other words, or write to us.', all: 'All articles', helpful: 'Was this helpful?', yes: 'Yes', no: 'No', thanks: 'Thank you for telling us.', missing: 'This article is not available.', back: 'Back to all articles' },
  es: { help: 'Ayuda', search: 'Buscar', placeholder: '¿En qué podemos ayudarte?', results: (n: number, q: string) => `${n} artículo${n === 1 ? '' : 's'} para «${q}»`, none: 'Ningún artículo coincide. Prueba con otras palabras o escríbenos.', all: 'Todos los artículos', helpful: '¿Te ha resultado útil?', yes: 'Sí', no: 'No', thanks: 'Gracias por decírnoslo.', missing: 'Este artículo no está disponible.', back: 'Volver a todos los artículos' },
  de: { help: 'Hilfe', search: 'Suchen', placeholder: 'Wie können wir helfen?', results: (n: number, q: string) => `${n} Artikel zu „${q}“`, none: 'Kein Artikel passt. Versuchen Sie andere Wörter oder schreiben Sie uns.', all: 'Alle Artikel', helpful: 'War das hilfreich?', yes: 'Ja', no: 'Nein', thanks: 'Danke für Ihre Rückmeldung.', missing: 'Dieser Artikel ist nicht verfügbar.', back: 'Zurück zu allen Artikeln' },
  fr: { help: 'Aide', search: 'Rechercher', placeholder: 'Comment pouvons-nous vous aider ?', results: (n: number, q: string) => `${n} article${n === 1 ? '' : 's'} pour « ${q} »`, none: 'Aucun article ne correspond. Essayez d’autres mots ou écrivez-nous.', all: 'Tous les articles', helpful: 'Cet article vous a-t-il aidé ?', yes: 'Oui', no: 'Non', thanks: 'Merci de nous l’avoir dit.', missing: 'Cet article n’est pas disponible.', back: 'Retour à tous les articles' },
  pt: { help: 'Ajuda', search: 'Pesquisar', placeholder: 'Como podemos ajudar?', results: (n: number, q: string) => `${n} artigo${n === 1 ? '' : 's'} para «${q}»`, none: 'Nenhum artigo corresponde. Experimente outras palavras ou escreva-nos.', all: 'Todos os artigos', helpful: 'Isto foi útil?', yes: 'Sim', no: 'Não', thanks: 'Obrigado por nos dizer.', missing: 'Este artigo não está disponível.', back: 'Voltar a todos os artigos' },
} as const;
type Lang = keyof typeof WORDS;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** ?lang= first, then the browser's languages, else English. */
function languageOf(req: Request): Lang {
  const asked = typeof req.query.lang === 'string' ? [req.query.lang] : [];
  for (const l of [...asked, ...req.acceptsLanguages()]) {
    const two = l.toLowerCase().split('-')[0] as Lang;
    if (two in WORDS) return two;
  }
  return 'en';
}

function page(res: Response, status: number, lang: Lang, title: string, body: string) {
  res.status(status).type('html').setHeader('cache-control', 'no-store')
    .send(`<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style>
body{font:17px/1.55 system-ui,sans-serif;max-width:44rem;margin:0 auto;padding:1.5rem 1rem;color:#1f2937}
a{color:#1d4ed8}form.search{display:flex;gap:.5rem;margin:1rem 0}form.search input{flex:1;font:inherit;padding:.55rem}
button{font:inherit;padding:.5rem 1rem;min-height:44px}ul.articles{padding:0;list-style:none}ul.articles li{margin:.8rem 0}
.snippet{color:#4b5563;font-size:.95rem}.feedback{margin-top:2rem;padding-top:1rem;border-top:1px solid #e5e7eb;display:flex;gap:.6rem;align-items:center;flex-wrap:wrap}
pre,code{background:#f3f4f6}img{max-width:100%}
</style></head><body>${body}</body></html>`);
}

export function helpPageRoutes(o: { db: Database; knowledge: KnowledgeBase; help: HelpCenter }): Router {
  const router = Router();
  const inboxOf = async (req: Request) => {
    const id = String(req.params.inboxId);
    return isUuid(id) ? o.db.prisma.inbox.findUnique({ where: { id }, select: { id: true, name: true } }) : null;
  };

  router.get('/help/:inboxId', async (req, res) => {
    const lang = languageOf(req);
    const w = WORDS[lang];
    const inbox = await inboxOf(req);
    if (!inbox) return page(res, 404, lang, w.help, `<h1>${w.help}</h1><p>${w.missing}</p>`);
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 200) : '';
    const hits = await o.knowledge.search({ q: q || undefined, language: lang, inboxId: inbox.id, published: true, audience: 'customers', limit: 50 });
    const list = hits.length
      ? `<ul class="articles">${hits.map((h) => `<li><a href="/help/${inbox.id}/articles/${h.id}?lang=${lang}">${escapeHtml(h.title)}</a>${q ? `<div class="snippet">${escapeHtml(h.snippet).replace(/«/g, '<mark>').replace(/»/g, '</mark>')}</div>` : ''}</li>`).join('')}</ul>`
      : `<p>${w.none}</p>`;
    page(res, 200, lang, `${inbox.name} · ${w.help}`, `<h1>${escapeHtml(inbox.name)} · ${w.help}</h1>
<form class="search" method="get" role="search"><input type="hidden" name="lang" value="${lang}"><input name="q" value="${escapeHtml(q)}" placeholder="${w.placeholder}" aria-label="${w.search}"><button>${w.search}</button></form>
${q ? `<p>${w.results(hits.length, escapeHtml(q))} · <a href="?lang=${lang}">${w.all}</a></p>` : `<h2>${w.all}</h2>`}${list}`);
  });

  router.get('/help/:inboxId/articles/:id', async (req, res) => {
    const lang = languageOf(req);
    const w = WORDS[lang];
    const inbox = await inboxOf(req);
    const a = inbox ? await o.help.published(inbox.id, String(req.params.id)) : null;
    if (!inbox || !a) return page(res, 404, lang, w.help, `<h1>${w.help}</h1><p>${w.missing}</p>`);
    await o.knowledge.event('view', { articleId: a.id, inboxId: inbox.id });
    const thanks = req.query.thanks === '1';
    page(res, 200, lang, a.title, `<p><a href="/help/${inbox.id}?lang=${lang}">← ${w.back}</a></p><article lang="${escapeHtml(a.language)}"><h1>${escapeHtml(a.title)}</h1>${articleHtml(a.body)}</article>
<form class="feedback" method="post" action="/help/${inbox.id}/articles/${a.id}/feedback?lang=${lang}">${thanks ? `<span role="status">${w.thanks}</span>` : `<span>${w.helpful}</span><button name="helpful" value="yes">${w.yes}</button><button name="helpful" value="no">${w.no}</button>`}</form>`);
  });

  router.post('/help/:inboxId/articles/:id/feedback', async (req, res) => {
    const inbox = await inboxOf(req);
    const id = String(req.params.id);
    if (inbox && isUuid(id)) await o.help.record(String((req.body as { helpful?: string } | undefined)?.helpful) === 'yes' ? 'helpful' : 'not_helpful', { inboxId: inbox.id, articleId: id });
    res.redirect(303, `/help/${String(req.params.inboxId)}/articles/${id}?lang=${languageOf(req)}&thanks=1`);
  });
  return router;
}
