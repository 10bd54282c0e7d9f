/** An app of the system and the port its /health and /metrics answer on. */
export interface SystemApp {
  name: string;
  port: number;
}

export interface SystemWorker extends SystemApp {
  group: string;
}

export declare const HTTP_APPS: readonly SystemApp[];
export declare const WORKERS: readonly SystemWorker[];
export declare function entryOf(app: string): string;
export declare function builtApps(): SystemApp[];
