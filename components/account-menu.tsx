"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState, useSyncExternalStore, type MouseEvent } from "react";
import type { AppLocale } from "@/i18n/routing";
import { apiFetch } from "@/lib/http/api-client";
import { hasSignedInHint } from "@/lib/session-cookie";

// Pages are cached for everyone, so the header cannot know on the server who is reading. The
// sign-in routes set a readable hint cookie (taiyaku.signed_in); only when it is present do we
// ask /api/me, so signed-out readers cost the server nothing. The box keeps one size in every
// state (see .account-menu in globals.css) so swapping "Sign in" for a name shifts nothing.

type Me = { name: string; unread: number; editor: boolean } | null;

const noSubscribe = () => () => undefined;

/** Where the reader is now (path + query + anchor), for the sign-in page to send them back. */
function currentPath(): string {
  return window.location.pathname + window.location.search + window.location.hash;
}

function authHref(locale: AppLocale, page: "sign-in" | "sign-up", here: string | null): string {
  if (!here) return `/${locale}/${page}`;
  // On the sign-in/up pages themselves, keep the `next` they already carry instead of looping.
  const onAuthPage = /^\/(en|ja)\/sign-(in|up)(\?|$)/.test(here);
  const next = onAuthPage ? new URLSearchParams(here.split("?")[1]?.split("#")[0] ?? "").get("next") : here;
  return next ? `/${locale}/${page}?next=${encodeURIComponent(next)}` : `/${locale}/${page}`;
}

export function AccountMenu({ locale, path }: { locale: AppLocale; path?: string }) {
  const t = useTranslations("Header");
  const tAuthoring = useTranslations("Authoring");
  // Server render and hydration see no cookie; the real value arrives right after.
  const hint = useSyncExternalStore(noSubscribe, hasSignedInHint, () => false);
  const [me, setMe] = useState<Me | undefined>(undefined);
  // The server knows the page's own address: links carry `next` even before hydration, so a
  // click that beats the JavaScript still comes back here. The effect adds query and anchor.
  const [here, setHere] = useState<string | null>(path ?? null);
  const [signingOut, setSigningOut] = useState(false);

  useEffect(() => {
    const update = () => setHere(currentPath());
    update();
    window.addEventListener("hashchange", update);
    window.addEventListener("popstate", update);
    return () => {
      window.removeEventListener("hashchange", update);
      window.removeEventListener("popstate", update);
    };
  }, []);

  useEffect(() => {
    if (!hint) return;
    let cancelled = false;
    void apiFetch<{ user: { name: string; role?: string } | null; unreadNotifications?: number }>("/api/me", { locale, networkMessage: "" }).then((data) => {
      // Editors and admins get a link to the editor (group owners reach it from their group page).
      const editor = data.ok && (data.user?.role === "editor" || data.user?.role === "admin");
      if (!cancelled) setMe(data.ok && data.user ? { name: data.user.name, unread: data.unreadNotifications ?? 0, editor } : null);
    });
    return () => {
      cancelled = true;
    };
  }, [hint, locale]);

  /** The anchor can change without a navigation (copy-link, #p-5): read it at click time. */
  function followWithCurrentPath(event: MouseEvent<HTMLAnchorElement>, page: "sign-in" | "sign-up") {
    if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    window.location.assign(authHref(locale, page, currentPath()));
  }

  async function signOut() {
    setSigningOut(true);
    try {
      await apiFetch("/api/auth/sign-out", { method: "POST", locale, networkMessage: "" });
    } finally {
      // The profile page would only bounce to sign-in; anywhere else, stay where the reader was.
      const onProfile = /^\/(en|ja)\/profile\/?$/.test(window.location.pathname);
      // A full load on purpose: cached pages and the header must be fetched without the session.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination
      if (onProfile) window.location.assign(`/${locale}`);
      else window.location.reload();
    }
  }

  if (hint && me === undefined) {
    // Checking: keep the space, say nothing yet.
    return <div className="account-menu" aria-busy="true" data-testid="account-menu" />;
  }

  if (hint && me) {
    return (
      <nav className="account-menu" aria-label={t("accountNav")} data-testid="account-menu">
        <a href={`/${locale}/profile`} className="account-name" title={t("signedInAs", { name: me.name })} data-testid="account-name">
          {/* The name alone leaves room for the notifications and groups links; the label says the rest. */}
          <span aria-hidden="true">{me.name}</span>
          <span className="visually-hidden">{t("signedInAs", { name: me.name })}</span>
        </a>
        <a href={`/${locale}/notifications`} className={me.unread ? "account-link has-unread" : "account-link"} data-testid="header-notifications">
          {t("notifications", { count: me.unread })}
        </a>
        {me.editor && (
          <a href={`/${locale}/editor`} className="account-link" data-testid="header-editor">
            {tAuthoring("headerLink")}
          </a>
        )}
        <a href={`/${locale}/groups`} className="account-link" data-testid="header-groups">
          {t("myGroups")}
        </a>
        <button type="button" className="account-button" onClick={signOut} disabled={signingOut} data-testid="header-sign-out">
          {signingOut ? t("signingOut") : t("signOut")}
        </button>
      </nav>
    );
  }

  return (
    <nav className="account-menu" aria-label={t("accountNav")} data-testid="account-menu">
      <a href={authHref(locale, "sign-in", here)} onClick={(event) => followWithCurrentPath(event, "sign-in")} data-testid="header-sign-in">
        {t("signIn")}
      </a>
      <a
        href={authHref(locale, "sign-up", here)}
        onClick={(event) => followWithCurrentPath(event, "sign-up")}
        className="account-button"
        data-testid="header-sign-up"
      >
        {t("signUp")}
      </a>
    </nav>
  );
}
