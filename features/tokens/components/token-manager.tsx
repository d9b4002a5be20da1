"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useApiRequest } from "@/components/use-api-request";
import { ErrorSummary } from "@/features/accounts/components/form-parts";
import { MAX_TOKEN_NAME, TOKEN_EXPIRIES, type TokenDto } from "../types";
import "./tokens.css";

type Created = { name: string; token: string };

/**
 * The profile page's "Personal API tokens": create one (shown once: the server keeps only its
 * sha256), list them with their last use, revoke with a confirmation step (no window.confirm, so
 * it works the same with a keyboard, a screen reader and in tests). The list is kept here after
 * each call rather than re-rendering the page, so the one-time token stays on screen.
 */
export function TokenManager({ initialTokens, renderedAt }: { initialTokens: TokenDto[]; renderedAt: string }) {
  const t = useTranslations("Tokens");
  const format = useFormatter();
  const id = useId().replace(/:/g, "") + "token";
  const create = useApiRequest();
  const revoke = useApiRequest();
  const [tokens, setTokens] = useState(initialTokens);
  const [created, setCreated] = useState<Created | null>(null);
  const [copyState, setCopyState] = useState<"" | "copied" | "failed">("");
  const [asking, setAsking] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const tokenInput = useRef<HTMLInputElement>(null);
  const now = new Date(renderedAt).getTime();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const expiry = String(data.get("expiresInDays") ?? "");
    const result = await create.send<{ token: string; id: string; apiToken: TokenDto }>("/api/tokens", "POST", {
      name: String(data.get("name") ?? ""),
      scopes: data.getAll("scopes").map(String),
      expiresInDays: expiry === "never" ? null : Number(expiry),
    });
    if (!result) return;
    setTokens((list) => [result.apiToken, ...list]);
    setCreated({ name: result.apiToken.name, token: result.token });
    setCopyState("");
    setStatus("");
    form.reset();
  }

  // Focus the new token once it is on screen: it is what the user came for, and a screen reader
  // announces its label and the warning.
  useEffect(() => {
    if (created) tokenInput.current?.focus();
  }, [created]);

  async function onRevoke(token: TokenDto) {
    const result = await revoke.send<{ apiToken: TokenDto }>(`/api/tokens/${token.id}`, "DELETE");
    setAsking(null);
    if (!result) return;
    setTokens((list) => list.map((item) => (item.id === token.id ? result.apiToken : item)));
    setStatus(t("revoked", { name: token.name }));
  }

  async function copy() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.token);
      setCopyState("copied");
    } catch {
      setCopyState("failed");
    }
  }

  const date = (value: string) => format.dateTime(new Date(value), { dateStyle: "medium" });
  const expiryLabel = { 30: t("expiry30"), 90: t("expiry90"), 365: t("expiry365") };
  const nameErrors = create.error?.fieldErrors.name;
  const labels = { name: t("nameLabel"), scopes: t("scopesLegend"), expiresInDays: t("expiryLabel") };
  return (
    <div className="token-manager" data-testid="token-manager">
      <p>{t("intro")}</p>
      <form className="form" onSubmit={onSubmit} noValidate data-testid="token-form">
        <ErrorSummary error={create.error} idPrefix={id} labels={labels} />
        <div className="field">
          <label htmlFor={`${id}-name`}>{labels.name}</label>
          <p id={`${id}-name-hint`} className="field-hint">
            {t("nameHint")}
          </p>
          <input
            id={`${id}-name`}
            name="name"
            required
            maxLength={MAX_TOKEN_NAME}
            autoComplete="off"
            aria-describedby={`${id}-name-hint${nameErrors ? ` ${id}-name-error` : ""}`}
            aria-invalid={nameErrors ? true : undefined}
          />
          {nameErrors && (
            <p id={`${id}-name-error`} className="field-error">
              {nameErrors.join(" ")}
            </p>
          )}
        </div>
        <fieldset id={`${id}-scopes`} className="token-fieldset" aria-invalid={create.error?.fieldErrors.scopes ? true : undefined}>
          <legend>{labels.scopes}</legend>
          <label>
            <input type="checkbox" name="scopes" value="read" defaultChecked />
            {t("scopeRead")}
          </label>
          <label>
            <input type="checkbox" name="scopes" value="write" />
            {t("scopeWrite")}
          </label>
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-expiresInDays`}>{labels.expiresInDays}</label>
          <select id={`${id}-expiresInDays`} name="expiresInDays" defaultValue="90">
            {TOKEN_EXPIRIES.map((days) => (
              <option key={days} value={days}>
                {expiryLabel[days]}
              </option>
            ))}
            <option value="never">{t("expiryNever")}</option>
          </select>
        </div>
        <button type="submit" className="button" disabled={create.pending}>
          {create.pending ? t("creating") : t("create")}
        </button>
      </form>

      {created && (
        <div className="token-created" data-testid="token-created">
          <label htmlFor={`${id}-value`}>{t("createdHeading", { name: created.name })}</label>
          <p id={`${id}-warning`}>
            <strong>{t("createdWarning")}</strong>
          </p>
          <input
            ref={tokenInput}
            id={`${id}-value`}
            readOnly
            value={created.token}
            translate="no"
            spellCheck={false}
            aria-describedby={`${id}-warning`}
            data-testid="token-value"
            onFocus={(event) => event.currentTarget.select()}
          />
          <div className="token-controls">
            <button type="button" className="button button-secondary" onClick={copy}>
              {t("copy")}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setCreated(null)}>
              {t("dismiss")}
            </button>
            <span role="status">{copyState === "copied" ? t("copied") : copyState === "failed" ? t("copyFailed") : ""}</span>
          </div>
        </div>
      )}

      <h3>{t("listHeading")}</h3>
      {tokens.length ? (
        <div className="token-table-wrap">
          <table className="token-table" data-testid="token-list">
            <thead>
              <tr>
                <th scope="col">{t("colName")}</th>
                <th scope="col">{t("colScopes")}</th>
                <th scope="col">{t("colCreated")}</th>
                <th scope="col">{t("colExpires")}</th>
                <th scope="col">{t("colLastUsed")}</th>
                <th scope="col">{t("colStatus")}</th>
                <td />
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => {
                const expired = token.expiresAt !== null && new Date(token.expiresAt).getTime() <= now;
                const state = token.revokedAt ? t("statusRevoked") : expired ? t("statusExpired") : t("statusActive");
                return (
                  <tr key={token.id} data-testid="token-row">
                    <th scope="row">
                      <bdi>{token.name}</bdi>
                    </th>
                    <td>{token.scopes.map((scope) => (scope === "read" ? t("scopeRead") : t("scopeWrite"))).join(", ")}</td>
                    <td>{date(token.createdAt)}</td>
                    <td>{token.expiresAt ? date(token.expiresAt) : t("noExpiry")}</td>
                    <td>{token.lastUsedAt ? date(token.lastUsedAt) : t("never")}</td>
                    <td>{token.revokedAt ? `${state} (${date(token.revokedAt)})` : state}</td>
                    <td>
                      {!token.revokedAt && !expired && (asking === token.id ? (
                        <div className="token-controls" role="group" aria-label={t("revokeConfirm", { name: token.name })}>
                          <span>{t("revokeConfirm", { name: token.name })}</span>
                          <button type="button" className="button token-danger" onClick={() => onRevoke(token)} disabled={revoke.pending}>
                            {t("confirmRevoke")}
                          </button>
                          <button type="button" className="button button-secondary" onClick={() => setAsking(null)} disabled={revoke.pending}>
                            {t("cancel")}
                          </button>
                        </div>
                      ) : (
                        <button type="button" className="button button-secondary" aria-label={t("revokeLabel", { name: token.name })} onClick={() => setAsking(token.id)}>
                          {t("revoke")}
                        </button>
                      ))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t("empty")}</p>
      )}
      {revoke.error && (
        <p className="form-alert" role="alert">
          {revoke.error.message}
        </p>
      )}
      <p role="status" className="form-status">
        {status}
      </p>
    </div>
  );
}
