export declare function withContentSecurityPolicy<T>(value: T): T;
declare const PageCacheHandler: unknown;
export default PageCacheHandler;
