export declare const COMPOSE_PATH: string;
export declare function composeYaml(): string;
