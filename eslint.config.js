import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Layers point one way: app → features → components → lib. Each rule says why in its message.
const prismaPaths = [
  { name: "@/lib/db/prisma", message: "Only a feature's data.ts / mutations.ts talk to the database." },
  { name: "@prisma/client", message: "Only a feature's data.ts / mutations.ts talk to the database." },
];
const prismaPatterns = [
  { group: ["@/lib/generated/*", "**/lib/generated/*"], message: "Only a feature's data.ts / mutations.ts talk to the database." },
];
// next/link (and next-intl's Link, which wraps it) put ~4 KB on every page's first load (issue 15).
const linkPaths = [
  { name: "next/link", message: "Use Link from @/components/link (server components) or ClientLink (client components), ADR 0038." },
  { name: "next-intl/navigation", message: "Use @/i18n/navigation (server) or next/navigation's router: createNavigation ships next/link with the page (ADR 0038)." },
];
const noUpwardFromComponents = {
  group: ["@/features/*", "@/app/*"],
  message: "components/ is below features/ and app/: pass data in as props instead of importing upwards.",
};
const noUpwardFromLib = {
  group: ["@/features/*", "@/app/*", "@/components/*"],
  message: "lib/ is the bottom layer: it must not import features, components or routes.",
};

// Who belongs to a group, and so who sees a group note, is one rule in lib/permissions (ADR 0016):
// a membership check spelled out elsewhere drifts (the deleted-group check is the first to go).
const membershipMessage =
  "Membership is a permission rule: use liveMemberships / liveGroupsOf / groupRoleAtLeast or a note rule from lib/permissions instead of spelling it out, so every read agrees on who is in a group (ADR 0016).";
const noHandWrittenMembership = [
  "error",
  // Raw SQL reading group_member (FROM / JOIN): inserts in fixtures are not membership checks.
  { selector: "TemplateElement[value.raw=/(FROM|JOIN)\\s+group_member/i]", message: membershipMessage },
  { selector: "Literal[value=/(FROM|JOIN)\\s+group_member/i]", message: membershipMessage },
  // Prisma: `members: { some: … }` / `memberships: { some: … }` on a group or a user.
  { selector: "Property[key.name=/^(members|memberships)$/] > ObjectExpression > Property[key.name='some']", message: membershipMessage },
  // Prisma: `{ userId, group: { deletedAt: null } }`, a user's membership of a live group.
  {
    selector: "ObjectExpression:has(> Property[key.name='userId']) > Property[key.name='group'] > ObjectExpression > Property[key.name='deletedAt']",
    message: membershipMessage,
  },
];

const config = [
  // .next-*: parallel build folders (NEXT_DIST_DIR).
  { ignores: [".next/**", ".next-*/**", "node_modules/**", "lib/generated/**", "test-results/**", "playwright-report/**", "next-env.d.ts", ".scratch/**"] },
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Playwright fixtures receive a `use` callback that is not React's hook.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    files: ["app/**", "features/**", "components/**", "proxy.ts"],
    // better-auth's instance (lib/auth/better-auth.ts, ADR 0007) is in lib/, where the lib rules apply.
    ignores: ["features/*/data.ts", "features/*/mutations.ts", "**/*.test.ts", "**/*.int.test.ts"],
    rules: { "no-restricted-imports": ["error", { paths: [...prismaPaths, ...linkPaths], patterns: prismaPatterns }] },
  },
  {
    files: ["components/**"],
    rules: { "no-restricted-imports": ["error", { paths: [...prismaPaths, ...linkPaths], patterns: [...prismaPatterns, noUpwardFromComponents] }] },
  },
  {
    files: ["lib/**"],
    ignores: ["lib/testing/**", "lib/db/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [noUpwardFromLib] }] },
  },
  {
    files: ["app/**", "features/**", "components/**", "lib/**", "scripts/**", "proxy.ts"],
    // Tests build their fixtures with whatever SQL they need.
    ignores: ["lib/permissions/**", "**/*.test.ts", "**/*.test.tsx"],
    rules: { "no-restricted-syntax": noHandWrittenMembership },
  },
  {
    files: ["app/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            ...prismaPaths,
            ...linkPaths,
            { name: "next/navigation", importNames: ["redirect"], message: "Use redirect from @/i18n/navigation (it adds the locale)." },
          ],
          patterns: prismaPatterns,
        },
      ],
    },
  },
];

export default config;
