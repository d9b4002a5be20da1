"use client";

import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { useApiRequest } from "@/components/use-api-request";
import { apiFetch } from "@/lib/http/api-client";
import type { DataExportDto } from "../types";

/** How often the panel asks whether a pending archive is ready (the job usually takes a second). */
const POLL_MS = 2_000;

/**
 * "Download my data": asks for an archive, follows it while the background job builds it (the
 * mail says the same when it is done), then offers the download until it expires.
 */
export function DataExportPanel({ initialExports }: { initialExports: DataExportDto[] }) {
  const t = useTranslations("AccountData");
  const format = useFormatter();
  const locale = useLocale();
  const request = useApiRequest();
  const [latest, setLatest] = useState<DataExportDto | null>(initialExports[0] ?? null);
  const pending = latest?.status === "pending";

  useEffect(() => {
    if (!pending) return;
    let stopped = false;
    const timer = setInterval(async () => {
      const result = await apiFetch<{ exports: DataExportDto[] }>("/api/account/data-exports", { method: "GET", locale, networkMessage: "" });
      if (!stopped && result.ok && result.exports[0]) setLatest(result.exports[0]);
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [pending, locale]);

  async function ask() {
    const result = await request.send<{ dataExport: DataExportDto }>("/api/account/data-exports", "POST");
    if (result) setLatest(result.dataExport);
  }

  const date = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" });
  return (
    <div className="form" data-testid="data-export">
      <p>{t("dataIntro")}</p>
      {request.error && (
        <p className="field-error" role="alert">
          {request.error.message}
        </p>
      )}
      <div role="status" data-testid="data-export-status">
        {latest?.status === "pending" && <p>{t("exportPending")}</p>}
        {latest?.status === "failed" && <p>{t("exportFailed")}</p>}
        {latest?.status === "ready" && !latest.downloadable && <p>{t("exportExpired")}</p>}
        {latest?.downloadable && latest.expiresAt && latest.readyAt && (
          <>
            <p>{t("exportReady", { date: date(latest.readyAt) })}</p>
            <p>
              <a className="button" href={`/api/account/data-exports/${latest.id}`} download data-testid="data-export-download">
                {t("exportDownload", { kilobytes: Math.max(1, Math.round((latest.byteSize ?? 0) / 1024)) })}
              </a>
            </p>
            <p>{t("exportExpiresAt", { date: date(latest.expiresAt) })}</p>
          </>
        )}
      </div>
      {!pending && (
        <p>
          <button type="button" className={latest?.downloadable ? "button button-secondary" : "button"} onClick={ask} disabled={request.pending}>
            {request.pending ? t("exportRequesting") : latest ? t("exportAgain") : t("exportButton")}
          </button>
        </p>
      )}
    </div>
  );
}
