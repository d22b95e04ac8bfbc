'use client';
import { useCallback, useEffect, useState } from 'react';
import { Button } from '@/components/Button';
import { EmptyState } from '@/components/EmptyState';
import { FormAlert } from '@/components/FormAlert';
import { Spinner } from '@/components/Spinner';
import { Time } from '@/components/Time';
import { useT } from '@/lib/i18n/client';
import styles from './inbox.module.css';

interface Message {
  to: string;
  subject: string;
  text: string;
  html: string;
  sentAt: string | null;
}

type State = { kind: 'loading' } | { kind: 'absent' } | { kind: 'failed' } | { kind: 'ready'; messages: Message[] };

const URL_PATTERN = /(https?:\/\/[^\s<>"']+)/g;

/** The plain-text body with its links made links. */
function Body({ text }: { text: string }) {
  const parts = text.split(URL_PATTERN);
  return (
    <pre className={styles.body}>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <a key={i} href={part}>
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </pre>
  );
}

/**
 * The HTML part, as the mail client would show it, but inert: a sandboxed frame of its own (an
 * opaque origin, no scripts, forms or plugins, no access to this page or its cookies). Its one
 * permission is the top window's navigation on a click, and `<base target="_top">` sends every
 * link there, so a mail's link opens the app as it would from a mail client.
 */
function HtmlBody({ html, title }: { html: string; title: string }) {
  return (
    <iframe
      className={styles.html}
      title={title}
      sandbox="allow-top-navigation-by-user-activation"
      srcDoc={`<!doctype html><base target="_top">${html}`}
      data-testid="inbox-html"
    />
  );
}

type View = 'html' | 'text';

export function Inbox() {
  const t = useT();
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [open, setOpen] = useState(0);
  const [view, setView] = useState<View>('html');

  const load = useCallback(async () => {
    try {
      const res = await fetch('/api/dev/outbox', { cache: 'no-store' });
      if (res.status === 404) return setState({ kind: 'absent' });
      if (!res.ok) return setState({ kind: 'failed' });
      const body = (await res.json()) as { messages: Message[] };
      setState({ kind: 'ready', messages: body.messages });
    } catch {
      setState({ kind: 'failed' });
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  if (state.kind === 'loading') {
    return (
      <p className="muted" role="status">
        <Spinner /> {t('inbox.loading')}
      </p>
    );
  }
  if (state.kind === 'absent') return <EmptyState title={t('inbox.absentTitle')}>{t('inbox.absent')}</EmptyState>;
  if (state.kind === 'failed') return <FormAlert>{t('inbox.failed')}</FormAlert>;
  const message = state.messages[open];
  return (
    <div className={styles.layout}>
      <div className={styles.listPane}>
        <div className={styles.toolbar}>
          <span className="muted">{t('inbox.count', { count: state.messages.length })}</span>
          <Button variant="secondary" size="sm" onClick={() => void load()}>
            {t('inbox.refresh')}
          </Button>
        </div>
        {state.messages.length === 0 ? (
          <EmptyState title={t('inbox.emptyTitle')}>{t('inbox.empty')}</EmptyState>
        ) : (
          <ul className={styles.list}>
            {state.messages.map((m, i) => (
              <li key={i}>
                <button
                  type="button"
                  className={styles.item}
                  aria-current={i === open ? 'true' : undefined}
                  onClick={() => setOpen(i)}
                  data-testid="inbox-item"
                >
                  <span className={styles.subject}>{m.subject}</span>
                  <span className={styles.meta}>
                    {m.to}
                    {m.sentAt && (
                      <>
                        {' · '}
                        <Time iso={m.sentAt} format="ago" />
                      </>
                    )}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      {message && (
        <article className={styles.message} aria-labelledby="inbox-subject">
          <h2 id="inbox-subject" className={styles.messageSubject}>
            {message.subject}
          </h2>
          <p className={`muted ${styles.recipient}`}>{t('inbox.to', { to: message.to })}</p>
          <div className={styles.views} role="group" aria-label={t('inbox.view')}>
            {(['html', 'text'] as const).map((v) => (
              <Button key={v} size="sm" variant={view === v ? 'primary' : 'secondary'} aria-pressed={view === v} onClick={() => setView(v)}>
                {t(v === 'html' ? 'inbox.viewHtml' : 'inbox.viewText')}
              </Button>
            ))}
          </div>
          {view === 'html' && message.html ? (
            <HtmlBody html={message.html} title={t('inbox.htmlTitle', { subject: message.subject })} />
          ) : (
            <Body text={message.text} />
          )}
        </article>
      )}
    </div>
  );
}
