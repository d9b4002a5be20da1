import "./globals.css";

// Reached only for requests the locale proxy does not handle (e.g. /unknown.txt); there is no
// locale to choose, so the page speaks both languages.
export default function GlobalNotFound() {
  return (
    <html lang="en">
      <body>
        <main id="main" className="main">
          <h1>Page not found</h1>
          <p lang="ja">ページが見つかりません</p>
          <p>
            {/* Full page loads on purpose: the locale pages have their own root layout. */}
            {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
            <a href="/en">Articles</a> ·{" "}
            {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
            <a href="/ja" lang="ja">
              記事一覧
            </a>
          </p>
        </main>
      </body>
    </html>
  );
}
