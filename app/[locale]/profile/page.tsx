import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations } from "next-intl/server";
import { PageShell } from "@/components/page-shell";
import { PasswordForm } from "@/features/accounts/components/password-form";
import { ProfileForm } from "@/features/accounts/components/profile-form";
import { SignOutButton } from "@/features/accounts/components/sign-out-button";
import { loadSignedInPage } from "@/features/accounts/loaders";
import { TokenManager } from "@/features/tokens/components/token-manager";
import { loadMyTokens } from "@/features/tokens/loaders";
import { getModeratorScopes, isModerator } from "@/features/moderation/data";
import { Link } from "@/i18n/navigation";
import { routing } from "@/i18n/routing";

// Per-user: rendered for every request from the session cookie.
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "Meta" });
  return { title: t("profileTitle"), robots: { index: false } };
}

export default async function ProfilePage({ params }: Props) {
  const { locale, viewer } = await loadSignedInPage(params, "/profile");
  const t = await getTranslations({ locale, namespace: "Account" });
  const tm = await getTranslations({ locale, namespace: "Moderation" });
  const tt = await getTranslations({ locale, namespace: "Tokens" });
  const tokens = await loadMyTokens(viewer.id);
  const scopes = await getModeratorScopes(viewer);
  const roleLabel = { member: t("roleMember"), moderator: t("roleModerator"), editor: t("roleEditor"), admin: t("roleAdmin") }[viewer.role];
  const preferredLocale = viewer.preferredLocale === "ja" || viewer.preferredLocale === "en" ? viewer.preferredLocale : locale;
  return (
    <PageShell locale={locale} localeHrefs={{ en: "/en/profile", ja: "/ja/profile" }}>
      <div className="account-page">
        <h1>{t("profileHeading")}</h1>
        <p className="lead">{t("profileIntro", { email: viewer.email })}</p>
        <p className="lead">{t("role", { role: roleLabel })}</p>
        <section className="account-section" aria-labelledby="profile-details">
          <h2 id="profile-details">{t("detailsHeading")}</h2>
          <ProfileForm name={viewer.name} preferredLocale={preferredLocale} />
        </section>
        <section className="account-section" aria-labelledby="profile-password">
          <h2 id="profile-password">{t("passwordHeading")}</h2>
          <PasswordForm />
        </section>
        <section className="account-section" aria-labelledby="profile-tokens">
          <h2 id="profile-tokens">{tt("heading")}</h2>
          {/* The server's clock decides which tokens show as expired (no hydration mismatch). */}
          <TokenManager initialTokens={tokens} renderedAt={new Date().toISOString()} />
        </section>
        <section className="account-section" aria-labelledby="profile-sign-out">
          <h2 id="profile-sign-out">{t("signOutHeading")}</h2>
          <SignOutButton />
        </section>
        {isModerator(scopes) && (
          <section className="account-section" aria-labelledby="profile-moderation">
            <h2 id="profile-moderation">{tm("queueTitle")}</h2>
            <p>
              <Link href="/moderation">{tm("queueLink")}</Link> · <Link href="/moderation/log">{tm("logLink")}</Link>
            </p>
          </section>
        )}
      </div>
    </PageShell>
  );
}
