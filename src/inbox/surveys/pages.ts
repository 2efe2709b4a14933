// The survey's own page, opened from the email's rating links: a rating (1–5) and an optional
// comment, on a phone as on a desktop. A link with ?rating=N sends that rating as the page opens
// (a script: mail scanners that open links do not run it, so they never rate); without scripts
// the customer presses Send. The rating can be changed for 7 days.
import { Router, type Request, type Response } from 'express';
import { AppError, errorMessage } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { SurveyAnswers } from './answer';
import { surveyTexts } from './messages';
import { parseSurveyToken } from './token';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const WORDS = {
  title: 'How did we do?',
  thanks: 'Thank you! Your rating is saved.',
  change: 'You can change it for 7 days.',
  comment: 'Anything you would like to tell us? (optional)',
  send: 'Send',
  closed: 'This survey is closed.',
  invalid: 'This link is not valid. Open it from the message again.',
};

function page(res: Response, status: number, body: string) {
  res
    .status(status)
    .type('html')
    .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${WORDS.title}</title>
<style>
body{font:17px/1.5 system-ui,sans-serif;max-width:30rem;margin:0 auto;padding:1.5rem 1rem;color:#1f2937}
fieldset{border:0;padding:0;margin:1rem 0;display:flex;gap:.5rem;flex-wrap:wrap}
label.rate{flex:1 1 3rem;min-width:3rem}
label.rate input{position:absolute;opacity:0}
label.rate span{display:block;text-align:center;padding:.8rem 0;border:2px solid #9ca3af;border-radius:.5rem;font-size:1.25rem;cursor:pointer}
label.rate input:checked+span{background:#2563eb;border-color:#2563eb;color:#fff}
label.rate input:focus-visible+span{outline:3px solid #93c5fd}
textarea{width:100%;box-sizing:border-box;min-height:6rem;font:inherit}
button{font:inherit;padding:.7rem 1.4rem;margin-top:.8rem;min-height:44px}
.scale{display:flex;justify-content:space-between;color:#6b7280;font-size:.9rem}
</style></head><body>${body}<script src="/survey.js"></script></body></html>`);
}

/** Sends the form once as the page opens when it came with a rating (one click from the email). */
const SCRIPT = `(function(){var f=document.querySelector('form[data-autosend]');if(f&&!sessionStorage.getItem(f.action)){sessionStorage.setItem(f.action,'1');f.submit();}})();`;

export function surveyRoutes(o: { answers: SurveyAnswers; appSecret: string; logger: Logger }): Router {
  const router = Router();
  router.get('/survey.js', (_req, res) => {
    res.type('application/javascript').setHeader('cache-control', 'public, max-age=3600');
    res.send(SCRIPT);
  });
  const surveyOf = async (req: Request, res: Response) => {
    const id = parseSurveyToken(String(req.params.token), o.appSecret);
    if (!id) return void page(res, 400, `<h1>${WORDS.title}</h1><p>${WORDS.invalid}</p>`);
    try {
      return await o.answers.get(id);
    } catch {
      return void page(res, 404, `<h1>${WORDS.title}</h1><p>${WORDS.invalid}</p>`);
    }
  };
  const form = (token: string, s: { rating: number | null; comment: string | null; language: string | null; reference: number; name: string | null }, chosen: number | null, autosend: boolean, saved: boolean) => {
    const t = surveyTexts(s.language);
    const rating = chosen ?? s.rating;
    return `<h1>${WORDS.title}</h1>
${saved ? `<p role="status"><strong>${WORDS.thanks}</strong> ${WORDS.change}</p>` : `<p>${escapeHtml(t.ask(s.reference))}</p>`}
<form method="post" action="/survey/${escapeHtml(token)}"${autosend ? ' data-autosend' : ''}>
<fieldset aria-label="${escapeHtml(t.click)}">${[1, 2, 3, 4, 5].map((n) => `<label class="rate"><input type="radio" name="rating" value="${n}"${rating === n ? ' checked' : ''} required><span>${n}</span></label>`).join('')}</fieldset>
<div class="scale"><span>1 ☹</span><span>5 ☺</span></div>
<p><label for="comment">${WORDS.comment}</label><br><textarea id="comment" name="comment" maxlength="2000">${escapeHtml(s.comment ?? '')}</textarea></p>
<button type="submit">${WORDS.send}</button>
</form>`;
  };

  router.get('/survey/:token', async (req, res) => {
    const s = await surveyOf(req, res);
    if (!s) return;
    if (!s.open) return void page(res, 410, `<h1>${WORDS.title}</h1><p>${WORDS.closed}</p>`);
    const asked = Number(req.query.rating);
    const chosen = Number.isInteger(asked) && asked >= 1 && asked <= 5 ? asked : null;
    page(res, 200, form(String(req.params.token), { rating: s.rating, comment: s.comment, language: s.conversation.contact.language, reference: s.conversation.reference, name: s.conversation.contact.name }, chosen, chosen !== null && chosen !== s.rating, false));
  });

  router.post('/survey/:token', async (req, res) => {
    const s = await surveyOf(req, res);
    if (!s) return;
    const body = (req.body ?? {}) as { rating?: string; comment?: string };
    const rating = Number(body.rating);
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) return void page(res, 400, form(String(req.params.token), { ...s, language: s.conversation.contact.language, reference: s.conversation.reference, name: null }, null, false, false));
    try {
      await o.answers.record(s.id, { rating, comment: typeof body.comment === 'string' && body.comment.trim() ? body.comment.trim() : undefined, via: 'page' });
    } catch (err) {
      if (err instanceof AppError && err.status === 409) return void page(res, 410, `<h1>${WORDS.title}</h1><p>${WORDS.closed}</p>`);
      o.logger.warn({ err: errorMessage(err), surveyId: s.id }, 'survey answer not recorded');
      throw err;
    }
    const after = await o.answers.get(s.id);
    page(res, 200, form(String(req.params.token), { rating: after.rating, comment: after.comment, language: after.conversation.contact.language, reference: after.conversation.reference, name: null }, null, false, true));
  });
  return router;
}
