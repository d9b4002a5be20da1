import { getTranslations } from "next-intl/server";
import type { AppLocale } from "@/i18n/routing";
import type { OutboxMail } from "../data";
import { StatusBadge, statusLabel } from "./outbox-view";
import { Moment } from "./moment";

const URL_IN_TEXT = /https?:\/\/[^\s<>"]+/g;

/**
 * One message as its recipient gets it: the plain-text body, its links (an admin passes a reset
 * link on from here when no SMTP server is configured), and the HTML source — shown as text,
 * never rendered: a mail's HTML does not run in the admin's session.
 */
export async function MailView({ locale, mail }: { locale: AppLocale; mail: OutboxMail }) {
  const t = await getTranslations({ locale, namespace: "AdminMail" });
  const links = [...new Set(mail.text.match(URL_IN_TEXT) ?? [])];
  return (
    <article data-testid="mail-message">
      <p>
        <a href={`/${locale}/admin/mail`}>{t("back")}</a>
      </p>
      <h1>{mail.subject}</h1>
      <dl>
        <dt>{t("recipient")}</dt>
        <dd data-testid="mail-recipient">
          {mail.toName ? `${mail.toName} ` : ""}&lt;{mail.toAddress}&gt;
        </dd>
        <dt>{t("kind")}</dt>
        <dd>{mail.kind}</dd>
        <dt>{t("language")}</dt>
        <dd>{mail.locale}</dd>
        <dt>{t("status")}</dt>
        <dd>
          <StatusBadge status={mail.status} label={statusLabel(t, mail.status)} /> {t("attempts", { count: mail.attempts })}
          {mail.lastError && <div>{t("lastError", { error: mail.lastError })}</div>}
        </dd>
        <dt>{t("created")}</dt>
        <dd><Moment date={mail.createdAt} locale={locale} /></dd>
        <dt>{t("sent")}</dt>
        <dd><Moment date={mail.sentAt} locale={locale} /></dd>
        {Object.entries(mail.headers).map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {links.length > 0 && (
        <section aria-labelledby="mail-links">
          <h2 id="mail-links">{t("links")}</h2>
          <ul data-testid="mail-links">
            {links.map((href) => (
              <li key={href}>
                <a href={href} rel="noreferrer">
                  {href}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="mail-text">
        <h2 id="mail-text">{t("plainText")}</h2>
        <pre className="admin-scroll" data-testid="mail-text" lang={mail.locale}>
          {mail.text}
        </pre>
      </section>
      <details>
        <summary>{t("htmlVersion")}</summary>
        <pre className="admin-scroll">{mail.html}</pre>
      </details>
    </article>
  );
}
