"use client";

import { useLocale, useTranslations } from "next-intl";
import { lazy, Suspense, useRef, useState } from "react";
import "./account-data.css";

// The form's code (and the request hook) loads when the button is first pressed: almost nobody
// deletes their account, and everybody who opens the profile would pay for it otherwise.
const DeleteAccountDialog = lazy(() => import("./delete-account-dialog").then((m) => ({ default: m.DeleteAccountDialog })));

/**
 * "Delete my account": a first button opens the form (nothing happens by accident), which asks
 * what becomes of the public and group notes and for the password. After the deletion the page
 * says so; the link home is a full navigation, so the header forgets the session too.
 */
export function DeleteAccountForm() {
  const t = useTranslations("AccountData");
  const locale = useLocale();
  const [open, setOpen] = useState(false);
  const [deleted, setDeleted] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);

  if (deleted) {
    return (
      <div role="status" data-testid="account-deleted">
        <p>{t("deleted")}</p>
        <p>
          <a href={`/${locale}`}>{t("homeLink")}</a>
        </p>
      </div>
    );
  }

  return (
    <div className="form">
      <p>{t("deleteIntro")}</p>
      {!open ? (
        <p>
          <button ref={opener} type="button" className="button-danger" onClick={() => setOpen(true)}>
            {t("deleteOpen")}
          </button>
        </p>
      ) : (
        <Suspense fallback={<p role="status">{t("deleteLoading")}</p>}>
          <DeleteAccountDialog
            onDeleted={() => setDeleted(true)}
            onCancel={() => {
              setOpen(false);
              requestAnimationFrame(() => opener.current?.focus());
            }}
          />
        </Suspense>
      )}
    </div>
  );
}
