"use client";

import ReactMarkdown, { type Components } from "react-markdown";
import rehypeSanitize, { defaultSchema } from "rehype-sanitize";

// In components/ because two features show note bodies: the notes thread and the moderation
// queue (a feature importing the other's component would tie them in a circle, ADR 0001).
// A Markdown subset: emphasis, links, lists, code, quotes. Raw HTML is never rendered
// (skipHtml), the sanitizer drops anything outside the allow-list, and react-markdown's URL
// filter turns javascript: and other unsafe schemes into empty links.
const allowedElements = ["p", "em", "strong", "a", "ul", "ol", "li", "code", "pre", "blockquote", "br", "del", "hr"];

const schema = {
  ...defaultSchema,
  tagNames: allowedElements,
  attributes: { a: ["href", "title"], code: [] },
  protocols: { href: ["http", "https", "mailto"] },
};

const components: Components = {
  a: ({ href, children }) => (
    <a href={href} rel="nofollow noopener noreferrer" target="_blank">
      {children}
    </a>
  ),
};

export function NoteBody({ body, lang }: { body: string; lang?: string }) {
  return (
    <div className="note-body" lang={lang}>
      <ReactMarkdown skipHtml allowedElements={allowedElements} unwrapDisallowed rehypePlugins={[[rehypeSanitize, schema]]} components={components}>
        {body}
      </ReactMarkdown>
    </div>
  );
}
