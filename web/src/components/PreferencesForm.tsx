import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import { applyPreferences } from '../lib/preferences';

const LANGUAGES = ['en', 'es', 'fr', 'de', 'pt', 'ar'];

/** The agent's language and time zone: dates, numbers and countdowns as they read them (right to left for Arabic). */
export function PreferencesForm() {
  const [prefs, setPrefs] = useState<{ locale: string | null; timeZone: string | null } | null>(null);
  const [notice, setNotice] = useState<{ text: string; error?: boolean } | null>(null);
  useEffect(() => void api<{ preferences: { locale: string | null; timeZone: string | null } }>('/auth/me').then((r) => setPrefs(r.preferences), () => {}), []);
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const body = { locale: String(f.get('locale')) || null, timeZone: String(f.get('timeZone')) || null };
    try {
      const saved = await api<{ locale: string | null; timeZone: string | null }>('/auth/preferences', { method: 'PUT', body });
      applyPreferences(saved);
      setPrefs(saved);
      setNotice({ text: t.preferences.saved });
      // Every word of the app in the new language: drawn again from the start.
      if ((saved.locale ?? navigator.language).split('-')[0] !== (prefs?.locale ?? navigator.language).split('-')[0]) location.reload();
    } catch (err) {
      setNotice({ text: (err as Error).message, error: true });
    }
  };
  if (!prefs) return null;
  const display = (code: string) => new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code;
  return (
    <form className="preferences" aria-label={t.preferences.title} onSubmit={(e) => void save(e)}>
      <h3>{t.preferences.title}</h3>
      <label>
        {t.preferences.language}{' '}
        <select name="locale" defaultValue={prefs.locale ?? ''}>
          <option value="">{t.preferences.browser}</option>
          {LANGUAGES.map((l) => <option key={l} value={l}>{display(l)}</option>)}
        </select>
      </label>{' '}
      <label>
        {t.preferences.timeZone}{' '}
        <input name="timeZone" list="time-zones" defaultValue={prefs.timeZone ?? ''} placeholder={Intl.DateTimeFormat().resolvedOptions().timeZone} />
        <datalist id="time-zones">{zones.map((z) => <option key={z} value={z} />)}</datalist>
      </label>{' '}
      <button type="submit">{t.preferences.save}</button>
      {notice && <p role={notice.error ? 'alert' : 'status'} className={notice.error ? 'error' : undefined}>{notice.text}</p>}
    </form>
  );
}
