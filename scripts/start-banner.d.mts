export declare function firstApiKey(env?: Record<string, string | undefined>): string;
export declare function startBanner(apps: readonly { name: string; port: number }[], env?: Record<string, string | undefined>): string[];
