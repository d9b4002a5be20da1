import type { AppLocale } from "@/i18n/routing";
import { translatorFor } from "@/lib/i18n/translator";

// One layout for every mail (ADR 0033): the plain-text and the HTML body are built from the same
// parts, so they never say different things, and every part is escaped on the way into HTML —
// a display name or a note excerpt in a mail is text, never markup.

export type MailParts = {
  heading: string;
  paragraphs: string[];
  /** One call to action: a button in HTML, "label: url" in text. Only http(s) URLs. */
  action?: { label: string; url: string };
  /** Small print under the body (why you got this, unsubscribe). */
  footer?: string[];
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function checkedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error(`renderMail: refusing a ${parsed.protocol} link`);
  return parsed.href;
}

/** Text and escaped HTML of one mail, with the layout's brand line and automated-mail notice. */
export function renderMail(locale: AppLocale, parts: MailParts): { text: string; html: string } {
  const t = translatorFor(locale, "Mail");
  const brand = t("layout.brand");
  const action = parts.action ? { label: parts.action.label, url: checkedUrl(parts.action.url) } : null;
  const footer = [...(parts.footer ?? []), t("layout.automated")];

  const text = [
    brand,
    "",
    parts.heading,
    "=".repeat(Math.min(60, Math.max(3, [...parts.heading].length * (locale === "ja" ? 2 : 1)))),
    "",
    ...parts.paragraphs.flatMap((p) => [p, ""]),
    ...(action ? [`${action.label}:`, action.url, ""] : []),
    "-- ",
    ...footer,
    "",
  ].join("\n");

  const p = (content: string) => `<p style="margin:0 0 16px;line-height:1.6">${content}</p>`;
  const html = `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(parts.heading)}</title></head>
<body style="margin:0;padding:24px;background:#f6f5f2;font-family:system-ui,-apple-system,'Hiragino Sans','Noto Sans JP',sans-serif;color:#1f1f1f">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
<p style="margin:0 0 8px;font-weight:600;color:#8a3b12">${escapeHtml(brand)}</p>
<h1 style="margin:0 0 16px;font-size:20px">${escapeHtml(parts.heading)}</h1>
${parts.paragraphs.map((para) => p(escapeHtml(para))).join("\n")}
${
  action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(action.url)}" style="display:inline-block;background:#8a3b12;color:#ffffff;padding:10px 18px;border-radius:6px;text-decoration:none">${escapeHtml(action.label)}</a></p>
${p(`${escapeHtml(t("layout.linkFallback"))}<br><a href="${escapeHtml(action.url)}">${escapeHtml(action.url)}</a>`)}`
    : ""
}
<hr style="border:none;border-top:1px solid #e4e1da;margin:24px 0 16px">
${footer.map((line) => `<p style="margin:0 0 8px;font-size:12px;color:#666666">${escapeHtml(line)}</p>`).join("\n")}
</div>
</body>
</html>
`;
  return { text, html };
}
