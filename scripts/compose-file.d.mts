export declare const COMPOSE_PATH: string;
export declare function composeYaml(): string;
export declare const TRACING_PRELOAD: string;
