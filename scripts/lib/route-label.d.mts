export declare const OTHER_ROUTE: "other";
type RoutesManifest = {
  staticRoutes?: { page: string }[];
  dynamicRoutes?: { page: string; namedRegex?: string; regex: string }[];
};
export declare function createRouteLabeller(manifest: RoutesManifest | null, options: { locales: readonly string[] }): (pathname: string) => string;
export declare function routeLabellerForBuild(distDir: string, options: { locales: readonly string[] }): (pathname: string) => string;
