"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { type InviteDto, inviteExpiries } from "../types";
import { useApiRequest } from "@/components/use-api-request";
import { RequestError } from "./use-group-request";

/**
 * Owners and moderators: create a link (shown once, the server keeps only its hash), see the
 * active ones and revoke them.
 */
export function InviteManager({ groupId, invites }: { groupId: string; invites: InviteDto[] }) {
  const t = useTranslations("Groups");
  const format = useFormatter();
  const router = useRouter();
  const id = useId().replace(/:/g, "");
  const create = useApiRequest();
  const revoke = useApiRequest();
  const [link, setLink] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [status, setStatus] = useState("");

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const rawMax = String(data.get("maxUses") ?? "").trim();
    const result = await create.send(`/api/groups/${groupId}/invites`, "POST", {
      expiresIn: String(data.get("expiresIn")),
      maxUses: rawMax === "" ? null : Number(rawMax),
    });
    if (!result) return;
    setCopied(false);
    setLink(new URL(String(result.path), window.location.origin).toString());
    router.refresh();
  }

  async function onRevoke(inviteId: string) {
    if (await revoke.send(`/api/groups/${groupId}/invites/${inviteId}`, "DELETE")) {
      setStatus(t("revoked"));
      router.refresh();
    }
  }

  async function copy() {
    if (!link) return;
    await navigator.clipboard?.writeText(link).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  }

  const expiryLabel = { "1d": t("expiry1d"), "7d": t("expiry7d"), "30d": t("expiry30d") };
  const maxErrors = create.error?.fieldErrors.maxUses;
  return (
    <div data-testid="invite-manager">
      <p>{t("invitesIntro")}</p>
      <form className="form" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-expires`}>{t("expiresIn")}</label>
          <select id={`${id}-expires`} name="expiresIn" defaultValue="7d">
            {inviteExpiries.map((value) => (
              <option key={value} value={value}>
                {expiryLabel[value]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-max`}>{t("maxUses")}</label>
          <p id={`${id}-max-hint`} className="field-hint">
            {t("maxUsesHint")}
          </p>
          <input
            id={`${id}-max`}
            name="maxUses"
            type="number"
            inputMode="numeric"
            min={1}
            max={1000}
            aria-describedby={`${id}-max-hint${maxErrors ? ` ${id}-max-error` : ""}`}
            aria-invalid={maxErrors ? true : undefined}
          />
          {maxErrors && (
            <p id={`${id}-max-error`} className="field-error">
              {maxErrors.join(" ")}
            </p>
          )}
        </div>
        <button type="submit" className="button" disabled={create.pending}>
          {create.pending ? t("submitting") : t("createInvite")}
        </button>
        {!maxErrors && <RequestError error={create.error} />}
      </form>
      {link && (
        <div className="invite-link">
          <label htmlFor={`${id}-link`}>{t("newInvite")}</label>
          <input id={`${id}-link`} readOnly value={link} data-testid="invite-link" onFocus={(event) => event.currentTarget.select()} />
          <div className="inline-controls">
            <button type="button" className="button button-secondary" onClick={copy}>
              {t("copy")}
            </button>
            <span role="status">{copied ? t("copied") : ""}</span>
          </div>
        </div>
      )}
      <h3>{t("activeInvites")}</h3>
      {invites.length ? (
        <ul className="invite-list">
          {invites.map((invite) => (
            <li key={invite.id} className="member-row">
              <span className="member-name">
                {t("inviteLine", {
                  name: invite.createdBy,
                  expires: format.dateTime(new Date(invite.expiresAt), { dateStyle: "medium", timeStyle: "short" }),
                  uses: invite.uses,
                  limit: invite.maxUses === null ? "none" : String(invite.maxUses),
                })}
              </span>
              <button type="button" className="button button-secondary" onClick={() => onRevoke(invite.id)} disabled={revoke.pending}>
                {t("revoke")}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("noInvites")}</p>
      )}
      <RequestError error={revoke.error} />
      <p role="status" className="form-status">
        {status}
      </p>
    </div>
  );
}
