export declare const CLIENT_ADDRESS_HEADER: string;
export declare function trustedProxyHops(value?: string): number;
export declare function resolveClientAddress(forwardedFor: string | string[] | undefined, socketAddress: string | undefined, hops: number): string;
