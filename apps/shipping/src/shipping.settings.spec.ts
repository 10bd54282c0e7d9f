import { loadConfig } from '@app/config';
import { shippingSettingsOf } from './shipping.settings.js';

describe('shipping settings', () => {
  it('leave the simulated carrier off unless CARRIER_SIMULATOR turns it on, at the configured pace and incident rate', () => {
    expect(shippingSettingsOf(loadConfig({})).carrier).toEqual({ enabled: false, stepMs: 5_000, incidentRate: 0.05 });
    const on = loadConfig({ CARRIER_SIMULATOR: 'true', CARRIER_STEP_MS: '250', CARRIER_INCIDENT_RATE: '0.5' });
    expect(shippingSettingsOf(on).carrier).toEqual({ enabled: true, stepMs: 250, incidentRate: 0.5 });
  });

  it('watch parcels with the configured deadline', () => {
    expect(shippingSettingsOf(loadConfig({ PARCEL_DEADLINE_MS: '1000', PARCEL_DEADLINE_SCAN_INTERVAL_MS: '200' }))).toMatchObject({
      deadlineMs: 1_000,
      scanIntervalMs: 200,
    });
  });
});
