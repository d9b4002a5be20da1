import { getTranslations } from "next-intl/server";
import type { AppLocale } from "@/i18n/routing";
import type { JobItem, getQueueState } from "../data";
import { Moment } from "./moment";

type QueueState = Awaited<ReturnType<typeof getQueueState>>;

/** /{locale}/admin/jobs: the durable queue's pending, running, failed and retried jobs. */
export async function JobsView({ locale, state }: { locale: AppLocale; state: QueueState }) {
  const t = await getTranslations({ locale, namespace: "AdminJobs" });
  const table = (id: string, title: string, jobs: JobItem[], showError: boolean) => (
    <section aria-labelledby={`jobs-${id}`} data-testid={`jobs-${id}`}>
      <h2 id={`jobs-${id}`}>
        {title} ({jobs.length})
      </h2>
      {jobs.length === 0 ? (
        <p>{t("empty")}</p>
      ) : (
        <div className="admin-scroll">
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">{t("kind")}</th>
                <th scope="col">{t("runAt")}</th>
                <th scope="col">{t("attempts")}</th>
                <th scope="col">{t("created")}</th>
                <th scope="col">{t("finished")}</th>
                {showError && <th scope="col">{t("error")}</th>}
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr key={job.id}>
                  <td>{job.kind}</td>
                  <td><Moment date={job.runAt} locale={locale} /></td>
                  <td className="number">
                    {job.attempts} / {job.maxAttempts}
                  </td>
                  <td><Moment date={job.createdAt} locale={locale} /></td>
                  <td><Moment date={job.finishedAt} locale={locale} /></td>
                  {showError && <td>{job.lastError ?? "—"}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
  return (
    <>
      <h1>{t("title")}</h1>
      <p>{t("intro")}</p>
      <p data-testid="jobs-counts">{t("counts", state.counts)}</p>
      {table("failed", t("failed"), state.failed, true)}
      {table("pending", t("pending"), state.pending, true)}
      {table("running", t("running"), state.running, false)}
      {table("retried", t("retried"), state.retried, true)}
    </>
  );
}
