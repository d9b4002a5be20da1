import en from "@/messages/en.json";
import ja from "@/messages/ja.json";

const messages = { en: en.Unavailable, ja: ja.Unavailable } as const;

const escape = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * The 503 page is plain HTML built in the proxy: it must render when nothing that needs the
 * database (layouts, loaders) can run. It reloads itself so readers recover without acting.
 */
export function unavailablePageHtml(locale: "en" | "ja", retryAfterSeconds: number): string {
  const m = messages[locale];
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${retryAfterSeconds}">
<meta name="robots" content="noindex">
<title>${escape(m.title)}</title>
<style>
:root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans JP",sans-serif}
body{margin:0;display:grid;place-items:center;min-height:100vh;background:Canvas;color:CanvasText}
main{max-width:34rem;padding:1.5rem;line-height:1.7}
a{color:LinkText}
</style>
</head>
<body>
<main id="main">
<h1>${escape(m.heading)}</h1>
<p>${escape(m.body)}</p>
<p><a href="">${escape(m.retry)}</a></p>
</main>
</body>
</html>
`;
}
