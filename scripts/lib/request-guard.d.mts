export declare const ALLOWED_METHODS: string;
export declare function refuseUnroutable(method: string, url: string): null | { status: 405 | 404; api: boolean; locale: "en" | "ja" };
