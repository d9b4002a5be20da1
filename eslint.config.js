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
const noUpwardFromComponents = {
  group: ["@/features/*", "@/app/*"],
  message: "components/ is below features/ and app/: pass data in as props instead of importing upwards.",
};
const noUpwardFromLib = {
  group: ["@/features/*", "@/app/*", "@/components/*"],
  message: "lib/ is the bottom layer: it must not import features, components or routes.",
};

const config = [
  { ignores: [".next/**", "node_modules/**", "lib/generated/**", "test-results/**", "playwright-report/**", "next-env.d.ts", ".scratch/**"] },
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
    // features/accounts/auth.ts is better-auth's instance: it is the accounts data layer (ADR 0007).
    ignores: ["features/*/data.ts", "features/*/mutations.ts", "features/accounts/auth.ts", "**/*.test.ts", "**/*.int.test.ts"],
    rules: { "no-restricted-imports": ["error", { paths: prismaPaths, patterns: prismaPatterns }] },
  },
  {
    files: ["components/**"],
    rules: { "no-restricted-imports": ["error", { paths: prismaPaths, patterns: [...prismaPatterns, noUpwardFromComponents] }] },
  },
  {
    files: ["lib/**"],
    ignores: ["lib/testing/**", "lib/db/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [noUpwardFromLib] }] },
  },
  {
    files: ["app/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            ...prismaPaths,
            { name: "next/link", message: "Import Link from @/i18n/navigation so links keep the locale." },
            { name: "next/navigation", importNames: ["redirect", "useRouter", "usePathname"], message: "Use @/i18n/navigation." },
          ],
          patterns: prismaPatterns,
        },
      ],
    },
  },
];

export default config;
