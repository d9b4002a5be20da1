export declare const CONSTANT_SECURITY_HEADERS: Readonly<Record<string, string>>;
export declare const STRICT_TRANSPORT_SECURITY: string;
export declare const API_CONTENT_SECURITY_POLICY: string;
export declare function pageContentSecurityPolicy(options: { scriptSources: readonly string[]; dev?: boolean }): string;
export declare function inlineScriptHashes(html: string): string[];
export declare function cachedPageContentSecurityPolicy(html: string, options?: { dev?: boolean }): string;
