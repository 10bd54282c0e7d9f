import type { OnApplicationShutdown } from '@nestjs/common';
import type { ParticipantClientOptions } from './participant-client.options.js';
import { ParticipantHttp } from './participant-http.client.js';
import type { ParticipantName } from './participant.errors.js';

/** What the three participant clients share: their HTTP pool and closing it when the app stops. */
export abstract class ParticipantClient implements OnApplicationShutdown {
  protected readonly http: ParticipantHttp;

  protected constructor(service: ParticipantName, options: ParticipantClientOptions) {
    this.http = new ParticipantHttp(service, options);
  }

  /** Closes the keep-alive connections once the calls in flight are done. */
  close(): Promise<void> {
    return this.http.close();
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }
}
