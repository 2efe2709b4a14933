// The chat widget a website embeds with one tag:
//   <script src="https://support.example.com/widget.js" data-inbox="<inbox id>" async></script>
// Everything lives in a shadow root (the host page's styles cannot break it, and ours cannot
// leak), every text is set with textContent (no customer or agent HTML is ever rendered),
// and each message carries a client id so that a resend after a reconnect is stored once.
// Self-service: as the visitor types their first question, the inbox's help articles that
// match are offered; one reads in the panel (as text), "This solved it" ends there, "Talk to a
// person" sends the question with what they read, so the agent starts from it.
import { io, type Socket } from 'socket.io-client';

interface Session { visitorId: string; visitorToken: string; greeting: string; open: boolean; notice: string | null; preChatForm: boolean; maxMessageChars: number; texts?: Partial<Words> }
interface Msg { id?: string; clientId?: string; direction: 'inbound' | 'outbound'; text: string; author?: string; sentAt?: string; pending?: boolean; error?: string; survey?: { id: string; kind: string }; selfService?: { read: string[]; query?: string } }
interface HostConfig { user?: { id: string; email: string; name?: string; hash: string } }

const script = document.currentScript as HTMLScriptElement | null;
const inboxId = script?.dataset.inbox ?? '';
const server = script ? new URL(script.src).origin : location.origin;
const storageKey = `inbox-widget:${inboxId}`;
const host = (window as unknown as { InboxWidget?: HostConfig }).InboxWidget ?? {};

// The widget speaks the page's language (its <html lang>, else the browser's); a site may change
// any of these words per language in the inbox's settings (config.texts), sent with the session.
const WORDS = {
  en: { messages: 'Messages', rateFailed: 'Your rating could not be saved.', launcher: 'Chat with us', chat: 'Chat', placeholder: 'Write a message…', message: 'Message', send: 'Send', name: 'Your name (optional)', email: 'Your email, to get our answer by mail (optional)', you: 'You', support: 'Support', articles: 'Articles that may help', solved: 'This solved it', person: 'Talk to a person', glad: 'Glad it helped! Write again any time.', talk: 'I would like to talk to a person.', reconnecting: 'Reconnecting…', typing: (n: string) => `${n} is typing…`, thanks: 'Thank you for your rating!', tooLong: (n: number) => `At most ${n} characters.`, rate: 'Rate this conversation from 1 (very bad) to 5 (very good)', unavailable: 'This article is not available.' },
  es: { messages: 'Mensajes', rateFailed: 'No se pudo guardar tu valoración.', launcher: 'Chatea con nosotros', chat: 'Chat', placeholder: 'Escribe un mensaje…', message: 'Mensaje', send: 'Enviar', name: 'Tu nombre (opcional)', email: 'Tu correo, para recibir nuestra respuesta (opcional)', you: 'Tú', support: 'Soporte', articles: 'Artículos que pueden ayudarte', solved: 'Esto lo resolvió', person: 'Hablar con una persona', glad: '¡Nos alegra haberte ayudado! Escríbenos cuando quieras.', talk: 'Quisiera hablar con una persona.', reconnecting: 'Reconectando…', typing: (n: string) => `${n} está escribiendo…`, thanks: '¡Gracias por tu valoración!', tooLong: (n: number) => `Como máximo ${n} caracteres.`, rate: 'Valora esta conversación de 1 (muy mal) a 5 (muy bien)', unavailable: 'Este artículo no está disponible.' },
  fr: { messages: 'Messages', rateFailed: 'Votre note n’a pas pu être enregistrée.', launcher: 'Discuter avec nous', chat: 'Discussion', placeholder: 'Écrivez un message…', message: 'Message', send: 'Envoyer', name: 'Votre nom (facultatif)', email: 'Votre e-mail, pour recevoir notre réponse (facultatif)', you: 'Vous', support: 'Support', articles: 'Des articles qui peuvent vous aider', solved: 'Cela a résolu mon problème', person: 'Parler à une personne', glad: 'Ravis d’avoir pu vous aider ! Écrivez-nous quand vous voulez.', talk: 'Je voudrais parler à une personne.', reconnecting: 'Reconnexion…', typing: (n: string) => `${n} est en train d’écrire…`, thanks: 'Merci pour votre note !', tooLong: (n: number) => `${n} caractères au plus.`, rate: 'Notez cette conversation de 1 (très mauvais) à 5 (très bien)', unavailable: 'Cet article n’est pas disponible.' },
  de: { messages: 'Nachrichten', rateFailed: 'Ihre Bewertung konnte nicht gespeichert werden.', launcher: 'Chatten Sie mit uns', chat: 'Chat', placeholder: 'Schreiben Sie eine Nachricht…', message: 'Nachricht', send: 'Senden', name: 'Ihr Name (optional)', email: 'Ihre E-Mail, für unsere Antwort per Mail (optional)', you: 'Sie', support: 'Support', articles: 'Artikel, die helfen könnten', solved: 'Das hat geholfen', person: 'Mit einer Person sprechen', glad: 'Schön, dass es geholfen hat! Schreiben Sie uns jederzeit.', talk: 'Ich möchte mit einer Person sprechen.', reconnecting: 'Verbindung wird wiederhergestellt…', typing: (n: string) => `${n} schreibt…`, thanks: 'Danke für Ihre Bewertung!', tooLong: (n: number) => `Höchstens ${n} Zeichen.`, rate: 'Bewerten Sie dieses Gespräch von 1 (sehr schlecht) bis 5 (sehr gut)', unavailable: 'Dieser Artikel ist nicht verfügbar.' },
  pt: { messages: 'Mensagens', rateFailed: 'Não foi possível guardar a sua avaliação.', launcher: 'Fale connosco', chat: 'Chat', placeholder: 'Escreva uma mensagem…', message: 'Mensagem', send: 'Enviar', name: 'O seu nome (opcional)', email: 'O seu email, para receber a nossa resposta (opcional)', you: 'Você', support: 'Apoio', articles: 'Artigos que podem ajudar', solved: 'Isto resolveu', person: 'Falar com uma pessoa', glad: 'Ainda bem que ajudou! Escreva-nos quando quiser.', talk: 'Gostaria de falar com uma pessoa.', reconnecting: 'A restabelecer a ligação…', typing: (n: string) => `${n} está a escrever…`, thanks: 'Obrigado pela sua avaliação!', tooLong: (n: number) => `No máximo ${n} caracteres.`, rate: 'Avalie esta conversa de 1 (muito má) a 5 (muito boa)', unavailable: 'Este artigo não está disponível.' },
};
type Words = (typeof WORDS)['en'];
const pageLanguage = (document.documentElement.lang || navigator.language || 'en').trim();
const w: Words = { ...(WORDS[pageLanguage.toLowerCase().split('-')[0] as keyof typeof WORDS] ?? WORDS.en) };

const stored = (() => {
  try {
    return JSON.parse(localStorage.getItem(storageKey) ?? '{}') as { visitor?: { id: string; token: string }; name?: string; email?: string };
  } catch {
    return {};
  }
})();
const save = () => {
  try {
    localStorage.setItem(storageKey, JSON.stringify(stored));
  } catch {
    /* private mode: the visitor is new on each visit */
  }
};

const CSS = `
:host{all:initial}
*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;font-size:14px}
.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:24px;padding:12px 18px;background:#3b4fd8;color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.2)}
.panel{position:fixed;right:20px;bottom:76px;z-index:2147483000;width:340px;max-width:calc(100vw - 40px);height:460px;max-height:calc(100vh - 100px);display:flex;flex-direction:column;background:#fff;color:#111;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);overflow:hidden}
.panel[hidden]{display:none}
header{background:#3b4fd8;color:#fff;padding:12px 14px;font-weight:600}
.notice{background:#fff7e6;color:#7a4b00;padding:8px 12px;font-size:13px}
.status{padding:4px 12px;font-size:12px;color:#666;min-height:20px}
ol{list-style:none;margin:0;padding:10px;flex:1;overflow-y:auto;display:flex;flex-direction:column;gap:6px}
.rating{display:flex;gap:4px;margin-top:6px}.rating button{flex:1;min-height:36px;border:1px solid #9ca3af;border-radius:6px;background:#fff;cursor:pointer}.rating button[aria-pressed="true"]{background:#2563eb;color:#fff;border-color:#2563eb}
li{max-width:80%;padding:8px 10px;border-radius:10px;white-space:pre-wrap;word-wrap:break-word}
li.inbound{align-self:flex-end;background:#3b4fd8;color:#fff}
li.outbound{align-self:flex-start;background:#f0f1f5}
li small{display:block;opacity:.7;font-size:11px;margin-bottom:2px}
li.pending{opacity:.6}
li .err{color:#b91c1c;display:block;font-size:12px}
form{display:flex;flex-direction:column;gap:6px;padding:10px;border-top:1px solid #eee}
input,textarea{width:100%;padding:8px;border:1px solid #ccc;border-radius:8px;resize:none}
button.send{align-self:flex-end;border:0;border-radius:8px;padding:8px 14px;background:#3b4fd8;color:#fff;cursor:pointer}
.help{padding:6px 10px;border-top:1px solid #eee;max-height:45%;overflow-y:auto}
.help[hidden]{display:none}
.help h2{font-size:12px;color:#555;margin:0 0 4px;font-weight:600}
.help ul{list-style:none;margin:0;padding:0}
.help ul button{display:block;width:100%;text-align:left;border:0;background:none;color:#3b4fd8;padding:4px 0;cursor:pointer;text-decoration:underline}
.help article{white-space:pre-wrap}
.help article h3{margin:4px 0;font-size:15px}
.help .actions{display:flex;gap:6px;margin-top:8px}
.help .actions button{flex:1;min-height:34px;border:1px solid #3b4fd8;border-radius:8px;background:#fff;color:#3b4fd8;cursor:pointer}
.help .actions button.primary{background:#3b4fd8;color:#fff}
`;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  for (const c of children) e.append(c);
  return e;
}

function start(): void {
  if (!inboxId) return console.warn('[inbox widget] the script tag needs data-inbox="<inbox id>"');
  const root = el('div');
  root.setAttribute('data-inbox-widget', '');
  document.body.append(root);
  const shadow = root.attachShadow({ mode: 'open' });
  shadow.append(el('style', { textContent: CSS }));

  const launcher = el('button', { className: 'launcher', type: 'button', textContent: w.launcher });
  launcher.setAttribute('aria-expanded', 'false');
  const title = el('header', { textContent: w.chat });
  const notice = el('div', { className: 'notice', hidden: true });
  notice.setAttribute('role', 'note');
  const list = el('ol');
  list.setAttribute('aria-label', w.messages);
  list.setAttribute('aria-live', 'polite');
  const status = el('div', { className: 'status' });
  status.setAttribute('role', 'status');
  const name = el('input', { name: 'name', placeholder: w.name, autocomplete: 'name', value: stored.name ?? '' });
  const email = el('input', { name: 'email', type: 'email', placeholder: w.email, autocomplete: 'email', value: stored.email ?? '' });
  const prechat = el('div', { hidden: true }, name, email);
  const text = el('textarea', { name: 'message', rows: 2, placeholder: w.placeholder, required: true });
  text.setAttribute('aria-label', w.message);
  const send = el('button', { className: 'send', type: 'submit', textContent: w.send });
  const form = el('form', {}, prechat, text, send);
  const help = el('section', { className: 'help', hidden: true });
  help.setAttribute('aria-label', w.articles);
  const panel = el('section', { className: 'panel', hidden: true }, title, notice, list, help, status, form);
  panel.setAttribute('aria-label', w.chat);
  shadow.append(panel, launcher);

  const messages: Msg[] = [];
  let session: Session | null = null;
  // What the visitor read and searched before asking (sent with the question).
  const read: string[] = [];
  let searched = '';
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;

  // A survey's rating card: five buttons; the chosen one stays marked (and can be changed).
  const rated = new Map<string, number>();
  const ratingCard = (surveyId: string) => {
    const card = el('div', { className: 'rating' });
    card.setAttribute('role', 'group');
    card.setAttribute('aria-label', w.rate);
    for (let n = 1; n <= 5; n++) {
      const b = el('button', { type: 'button', textContent: String(n) });
      b.setAttribute('aria-pressed', String(rated.get(surveyId) === n));
      b.addEventListener('click', () =>
        socket.emit('survey:rate', { surveyId, rating: n }, (r: { ok: boolean; error?: string }) => {
          if (!r.ok) return void (status.textContent = r.error ?? w.rateFailed);
          rated.set(surveyId, n);
          status.textContent = w.thanks;
          render();
        }),
      );
      card.append(b);
    }
    return card;
  };

  const render = () => {
    list.replaceChildren(
      ...messages.map((m) => {
        const li = el('li', { className: `${m.direction}${m.pending ? ' pending' : ''}` });
        li.append(el('small', { textContent: m.direction === 'inbound' ? w.you : (m.author ?? w.support) }), document.createTextNode(m.text));
        if (m.error) li.append(el('span', { className: 'err', textContent: m.error }));
        if (m.survey) li.append(ratingCard(m.survey.id));
        return li;
      }),
    );
    list.scrollTop = list.scrollHeight;
    markRead();
  };
  const markRead = () => {
    const last = [...messages].reverse().find((m) => m.direction === 'outbound' && m.id);
    if (last?.id && !panel.hidden) socket.emit('read', { upTo: last.id });
  };
  const merge = (m: Msg) => {
    const same = messages.find((x) => (m.id && x.id === m.id) || (m.clientId && x.clientId === m.clientId));
    if (same) Object.assign(same, m, { pending: false, error: undefined });
    else messages.push(m);
    messages.sort((a, b) => (a.sentAt && b.sentAt ? a.sentAt.localeCompare(b.sentAt) : 0));
    render();
  };

  const socket: Socket = io(`${server}/widget`, {
    transports: ['websocket', 'polling'],
    auth: (cb) => cb({ inboxId, visitor: stored.visitor, user: host.user, language: pageLanguage }),
  });

  type Article = { id: string; title: string; snippet?: string; text?: string };
  const asked = () => messages.some((m) => m.direction === 'inbound');
  const showArticles = (articles: Article[]) => {
    if (!articles.length) return void (help.hidden = true);
    help.replaceChildren(
      el('h2', { textContent: w.articles }),
      el('ul', {}, ...articles.map((a) => {
        const b = el('button', { type: 'button', textContent: a.title });
        b.addEventListener('click', () => openArticle(a.id));
        return el('li', {}, b);
      })),
    );
    help.hidden = false;
  };
  const openArticle = (id: string) =>
    socket.emit('help:article', { id }, (r: { ok: boolean; article?: Article; error?: string }) => {
      if (!r.ok || !r.article) return void (status.textContent = r.error ?? w.unavailable);
      if (!read.includes(id)) read.push(id);
      const solved = el('button', { type: 'button', className: 'primary', textContent: w.solved });
      const person = el('button', { type: 'button', textContent: w.person });
      solved.addEventListener('click', () => {
        socket.emit('help:feedback', { id, solved: true });
        help.hidden = true;
        text.value = '';
        status.textContent = w.glad;
      });
      person.addEventListener('click', () => {
        help.hidden = true;
        if (!text.value.trim()) text.value = searched || w.talk;
        form.requestSubmit();
      });
      help.replaceChildren(el('article', {}, el('h3', { textContent: r.article.title }), document.createTextNode(r.article.text ?? '')), el('div', { className: 'actions' }, solved, person));
      help.hidden = false;
      help.scrollTop = 0;
    });
  const search = () => {
    const q = text.value.trim();
    if (asked() || q.length < 3 || q === searched) return;
    searched = q;
    socket.emit('help:search', { q, language: pageLanguage }, (r: { ok: boolean; articles?: Article[] }) => {
      if (text.value.trim() === q) showArticles(r.articles ?? []);
    });
  };
  text.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(search, 300);
  });

  const deliver = (m: Msg) =>
    socket.emit('message', { clientId: m.clientId, text: m.text, name: stored.name || undefined, email: stored.email || undefined, pageUrl: location.href, ...(m.selfService ? { selfService: m.selfService } : {}) }, (r: { ok: boolean; id?: string; error?: string }) => {
      if (r.ok) merge({ ...m, id: r.id, pending: false, sentAt: m.sentAt });
      else {
        Object.assign(m, { pending: false, error: r.error });
        render();
      }
    });

  socket.on('session', (s: Session) => {
    session = s;
    stored.visitor = { id: s.visitorId, token: s.visitorToken };
    save();
    title.textContent = s.greeting;
    // The site's own words for this language.
    for (const [k, v] of Object.entries(s.texts ?? {})) if (typeof v === 'string' && k in w) (w as Record<string, unknown>)[k] = v;
    launcher.textContent = w.launcher;
    text.placeholder = w.placeholder;
    send.textContent = w.send;
    notice.textContent = s.notice ?? '';
    notice.hidden = !s.notice;
    prechat.hidden = !s.preChatForm || messages.some((m) => m.direction === 'inbound');
    text.maxLength = s.maxMessageChars;
    // History first (fills what was missed while away), then anything still unsent goes again.
    socket.emit('history', {}, (r: { ok: boolean; messages?: Msg[] }) => {
      for (const m of r.messages ?? []) merge(m);
      for (const m of messages.filter((x) => x.pending)) deliver(m);
    });
  });
  socket.on('message', (m: Msg) => merge(m));
  socket.on('typing', (t: { typing: boolean; name: string }) => {
    clearTimeout(typingTimer);
    status.textContent = t.typing ? w.typing(t.name) : '';
    if (t.typing) typingTimer = setTimeout(() => (status.textContent = ''), 6_000);
  });
  socket.on('connect_error', (err: Error) => (status.textContent = err.message === 'xhr poll error' || err.message === 'websocket error' ? w.reconnecting : err.message));
  socket.on('disconnect', () => (status.textContent = w.reconnecting));
  socket.on('connect', () => (status.textContent = ''));

  launcher.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    launcher.setAttribute('aria-expanded', String(!panel.hidden));
    if (!panel.hidden) {
      text.focus();
      markRead();
    }
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = text.value.trim();
    if (!body) return;
    if (session && body.length > session.maxMessageChars) return void (status.textContent = w.tooLong(session.maxMessageChars));
    stored.name = name.value.trim();
    stored.email = email.value.trim();
    save();
    prechat.hidden = true;
    // The first question carries what the visitor read and searched before it.
    const context = !asked() && (read.length || searched) ? { selfService: { read: [...read], ...(searched ? { query: searched } : {}) } } : {};
    const m: Msg = { clientId: crypto.randomUUID().replace(/-/g, ''), direction: 'inbound', text: body, pending: true, sentAt: new Date().toISOString(), ...context };
    help.hidden = true;
    messages.push(m);
    render();
    text.value = '';
    if (socket.connected) deliver(m); // else sent on reconnect, after history
  });
  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
