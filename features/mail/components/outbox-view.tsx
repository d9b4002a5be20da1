import { getTranslations } from "next-intl/server";
import type { AppLocale } from "@/i18n/routing";
import type { OutboxItem, OutboxStatus } from "../data";
import { Moment } from "./moment";

/** The outbox table of /{locale}/admin/mail: newest first, each row opens the message. */
export async function OutboxView({ locale, items, nextBefore, smtp }: { locale: AppLocale; items: OutboxItem[]; nextBefore: Date | null; smtp: boolean }) {
  const t = await getTranslations({ locale, namespace: "AdminMail" });
  return (
    <>
      <h1>{t("title")}</h1>
      <p>{t("intro")}</p>
      <p data-testid="mail-transport">{smtp ? t("transportSmtp") : t("transportLog")}</p>
      {items.length === 0 ? (
        <p>{t("empty")}</p>
      ) : (
        <div className="admin-scroll">
          <table className="admin-table" data-testid="outbox-table">
            <thead>
              <tr>
                <th scope="col">{t("recipient")}</th>
                <th scope="col">{t("kind")}</th>
                <th scope="col">{t("subject")}</th>
                <th scope="col">{t("status")}</th>
                <th scope="col">{t("created")}</th>
                <th scope="col">{t("sent")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((mail) => (
                <tr key={mail.id} data-testid="outbox-row">
                  <td>
                    {mail.toName ? `${mail.toName} ` : ""}
                    <span>&lt;{mail.toAddress}&gt;</span>
                  </td>
                  <td>{mail.kind}</td>
                  <td>
                    <a href={`/${locale}/admin/mail/${mail.id}`}>{mail.subject}</a>
                  </td>
                  <td>
                    <StatusBadge status={mail.status} label={statusLabel(t, mail.status)} />
                    {mail.attempts > 1 && <div>{t("attempts", { count: mail.attempts })}</div>}
                  </td>
                  <td><Moment date={mail.createdAt} locale={locale} /></td>
                  <td><Moment date={mail.sentAt} locale={locale} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextBefore && (
        <p>
          <a href={`/${locale}/admin/mail?before=${encodeURIComponent(nextBefore.toISOString())}`}>{t("older")}</a>
        </p>
      )}
    </>
  );
}

type T = Awaited<ReturnType<typeof getTranslations<"AdminMail">>>;

export function statusLabel(t: T, status: OutboxStatus): string {
  return { queued: t("statusQueued"), sent: t("statusSent"), logged: t("statusLogged"), failed: t("statusFailed") }[status];
}

export function StatusBadge({ status, label }: { status: OutboxStatus; label: string }) {
  return (
    <span className="admin-badge" data-status={status}>
      {label}
    </span>
  );
}
