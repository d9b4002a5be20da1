// Every UI string exists in both languages with the same ICU arguments; a key or a {placeholder}
// present in one file only is a bug that would show a raw key or crash formatting at runtime.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compareMessageCatalogs } from "../lib/i18n/compare-messages";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const load = (locale: string) => JSON.parse(readFileSync(path.join(root, "messages", `${locale}.json`), "utf8"));

const problems = compareMessageCatalogs({ en: load("en"), ja: load("ja") });
if (problems.length > 0) {
  console.error(`messages/: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}
console.log("messages/en.json and messages/ja.json: same keys and placeholders.");
