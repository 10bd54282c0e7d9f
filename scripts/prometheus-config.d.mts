/** An app as Prometheus reaches it: its job name and `host:port`. */
export interface ScrapeTarget {
  name: string;
  address: string;
}

export declare const COMPOSE_CONFIG_PATH: string;
export declare function composeTargets(): ScrapeTarget[];
export declare function localTargets(): ScrapeTarget[];
export declare function prometheusYaml(options: { targets: readonly ScrapeTarget[]; scrapeInterval?: string }): string;
