import type { AppConfig } from '@app/config';

/** A call the console makes to one of the system's apps. */
export interface BackendRoute {
  method: 'GET' | 'POST';
  url: string;
}

const get = (url: string): BackendRoute => ({ method: 'GET', url });
const post = (url: string): BackendRoute => ({ method: 'POST', url });
const seg = encodeURIComponent;
const query = (params: Record<string, string | number | undefined>): string => {
  const present = Object.entries(params).filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '');
  return present.length === 0 ? '' : `?${new URLSearchParams(present.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
};

/**
 * Every base URL and route the console calls, in one place: when an app moves an endpoint, this is
 * the one line to change. The bases come from the configuration (`*_URL`).
 */
export function backendRoutes(
  config: Pick<AppConfig, 'SAGA_ORCHESTRATOR_URL' | 'CHECKOUT_URL' | 'EVENT_STORE_URL' | 'INVENTORY_URL' | 'CHOREOGRAPHY_METRICS_URL'>,
) {
  const saga = config.SAGA_ORCHESTRATOR_URL;
  const checkout = config.CHECKOUT_URL;
  const store = config.EVENT_STORE_URL;
  return {
    catalogue: get(`${config.INVENTORY_URL}/inventory/products`),
    startOrchestrated: post(`${saga}/api/saga/checkout`),
    sagaList: (state?: string, cursor?: string, limit = 20) => get(`${saga}/api/saga/list${query({ state, cursor, limit })}`),
    sagaStatus: (id: string) => get(`${saga}/api/saga/${seg(id)}/status`),
    sagaCompensate: (id: string) => post(`${saga}/api/saga/${seg(id)}/compensate`),
    sagaMachine: get(`${saga}/api/saga/machine`),
    startChoreographed: post(`${checkout}/checkout/choreo`),
    checkoutStatus: (id: string) => get(`${checkout}/checkout/${seg(id)}`),
    stuckCheckouts: get(`${checkout}/checkout/stuck`),
    checkoutCompensate: (id: string) => post(`${checkout}/checkout/${seg(id)}/compensate`),
    streams: get(`${store}/api/event-store/streams`),
    replay: (id: string) => get(`${store}/api/event-store/replay/checkout/${seg(id)}`),
    deadLetters: (after?: string, limit = 20) => get(`${store}/api/event-store/dead-letters${query({ after, limit })}`),
    redriveOne: (stream: string, id: string) => post(`${store}/api/event-store/dead-letters/${seg(stream)}/${seg(id)}/redrive`),
    redriveAll: (stream: string) => post(`${store}/api/event-store/dead-letters/${seg(stream)}/redrive`),
    /** Public, no key: what the overview samples. */
    metrics: { orchestrated: `${saga}/metrics`, choreographed: config.CHOREOGRAPHY_METRICS_URL + '/metrics', checkout: `${checkout}/metrics` },
  };
}

export type BackendRoutes = ReturnType<typeof backendRoutes>;
