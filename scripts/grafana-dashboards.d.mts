export interface GrafanaTarget {
  refId: string;
  datasource: { type: string; uid: string };
  expr: string;
  legendFormat: string;
}

export interface GrafanaPanel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: GrafanaTarget[];
}

export interface GrafanaDashboard {
  uid: string;
  title: string;
  panels: GrafanaPanel[];
  templating: { list: { type: string; name: string }[] };
  links: { title: string; url: string }[];
}

export declare const DASHBOARDS_DIR: string;
export declare const DATASOURCE: { type: string; uid: string };
export declare const RATE_WINDOW: string;
export declare function renderDashboards(): { file: string; json: string }[];
