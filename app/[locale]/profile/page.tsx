import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations } from "next-intl/server";
import { PageShell } from "@/components/page-shell";
import { PasswordForm } from "@/features/accounts/components/password-form";
import { ProfileForm } from "@/features/accounts/components/profile-form";
import { SignOutButton } from "@/features/accounts/components/sign-out-button";
import { loadSignedInPage } from "@/features/accounts/loaders";
import { EmailVerificationSection } from "@/features/accounts/components/email-verification-section";
import { getEmailStatus } from "@/features/accounts/data";
import { requireVerifiedEmail } from "@/lib/auth/email-links";
import { ExportNotesPanel } from "@/features/note-export/components/export-notes-panel";
import { getViewerGroups } from "@/features/notes/data";
import { TokenPanel } from "@/features/tokens/components/token-panel";
import { loadMyTokens } from "@/features/tokens/loaders";
import { MailPreferencesForm } from "@/features/notifications/components/mail-preferences-form";
import { loadMailSettings } from "@/features/notifications/loaders";
import { DataExportDetails } from "@/features/account-data/components/data-export-details";
import { DeleteAccountForm } from "@/features/account-data/components/delete-account-form";
import { loadMyDataExports } from "@/features/account-data/loaders";
import { ImportPanel } from "@/features/note-import/components/import-panel";
import { loadImportGroups } from "@/features/note-import/loaders";
import { getModeratorScopes, isModerator } from "@/features/moderation/data";
import { adminSectionsFor } from "@/features/admin/loaders";
import { Link } from "@/components/link";
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
  const tv = await getTranslations({ locale, namespace: "EmailVerification" });
  const emailStatus = await getEmailStatus(viewer.id);
  const tt = await getTranslations({ locale, namespace: "Tokens" });
  const td = await getTranslations({ locale, namespace: "AccountData" });
  const dataExports = await loadMyDataExports(viewer.id);
  const tokens = await loadMyTokens(viewer.id);
  const tn = await getTranslations({ locale, namespace: "MailDigest" });
  const mail = await loadMailSettings(viewer.id);
  const importGroups = await loadImportGroups(viewer.id);
  const ti = await getTranslations({ locale, namespace: "Import" });
  const te = await getTranslations({ locale, namespace: "Export" });
  const scopes = await getModeratorScopes(viewer);
  const ta = await getTranslations({ locale, namespace: "Admin" });
  const tvoc = await getTranslations({ locale, namespace: "Vocabulary" });
  const groups = (await getViewerGroups(viewer.id)).map((g) => ({ id: g.id, name: g.name }));
  const roleLabel = { member: t("roleMember"), moderator: t("roleModerator"), editor: t("roleEditor"), admin: t("roleAdmin") }[viewer.role];
  const preferredLocale = viewer.preferredLocale === "ja" || viewer.preferredLocale === "en" ? viewer.preferredLocale : locale;
  return (
    <PageShell clientMessages={["Account", "AccountData", "Api", "EmailVerification", "Export", "Import", "MailDigest", "ProfilePanels", "Tokens"]} locale={locale} localeHrefs={{ en: "/en/profile", ja: "/ja/profile" }}>
      <div className="account-page">
        <h1>{t("profileHeading")}</h1>
        <p className="lead">{t("profileIntro", { email: viewer.email })}</p>
        <p className="lead">{t("role", { role: roleLabel })}</p>
        <p>
          <a href={`/${locale}/vocabulary`} data-testid="profile-vocabulary">
            {tvoc("profileLink")}
          </a>
        </p>
        <section className="account-section" aria-labelledby="profile-email">
          <h2 id="profile-email">{tv("profileHeading")}</h2>
          <EmailVerificationSection email={viewer.email} verified={emailStatus?.emailVerified ?? false} restricted={requireVerifiedEmail()} />
        </section>
        <section className="account-section" aria-labelledby="profile-details">
          <h2 id="profile-details">{t("detailsHeading")}</h2>
          <ProfileForm name={viewer.name} preferredLocale={preferredLocale} />
        </section>
        <section className="account-section" aria-labelledby="profile-password">
          <h2 id="profile-password">{t("passwordHeading")}</h2>
          <PasswordForm />
        </section>
        {mail.settings && (
          <section className="account-section" aria-labelledby="profile-mail">
            <h2 id="profile-mail">{tn("preferences.heading")}</h2>
            <MailPreferencesForm settings={mail.settings} email={viewer.email} digestHour={mail.digestHour} />
          </section>
        )}
        <section className="account-section" aria-labelledby="profile-tokens">
          <h2 id="profile-tokens">{tt("heading")}</h2>
          {/* The server's clock decides which tokens show as expired (no hydration mismatch). */}
          <TokenPanel initialTokens={tokens} renderedAt={new Date().toISOString()} />
        </section>
        <section className="account-section" aria-labelledby="profile-import">
          <h2 id="profile-import">{ti("heading")}</h2>
          <ImportPanel groups={importGroups} />
        </section>
        <section className="account-section" id="your-data" aria-labelledby="profile-data">
          <h2 id="profile-data">{td("dataHeading")}</h2>
          <DataExportDetails initialExports={dataExports} openOnHash="your-data" />
        </section>
        <section className="account-section" aria-labelledby="profile-export">
          <h2 id="profile-export">{te("heading")}</h2>
          <ExportNotesPanel groups={groups} inPageSection />
        </section>
        <section className="account-section" aria-labelledby="profile-sign-out">
          <h2 id="profile-sign-out">{t("signOutHeading")}</h2>
          <SignOutButton />
        </section>
        <section className="account-section" aria-labelledby="profile-delete">
          <h2 id="profile-delete">{td("deleteHeading")}</h2>
          <DeleteAccountForm />
        </section>
        {isModerator(scopes) && (
          <section className="account-section" aria-labelledby="profile-moderation">
            <h2 id="profile-moderation">{tm("queueTitle")}</h2>
            <p>
              <Link href="/moderation">{tm("queueLink")}</Link> · <Link href="/moderation/log">{tm("logLink")}</Link>
            </p>
          </section>
        )}
        {adminSectionsFor(viewer.role).length > 0 && (
          <section className="account-section" aria-labelledby="profile-admin">
            <h2 id="profile-admin">{ta("title")}</h2>
            <p>
              <Link href="/admin" data-testid="admin-console-link">
                {ta("title")}
              </Link>
            </p>
          </section>
        )}
      </div>
    </PageShell>
  );
}
