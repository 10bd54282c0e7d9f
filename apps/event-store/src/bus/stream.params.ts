import { IsIn } from 'class-validator';
import { STREAMS } from '@app/contracts';

/** The streams of the bus, by the names the API uses (without the deployment's key prefix). */
export const KNOWN_STREAMS: string[] = Object.values(STREAMS);

/** The validation message of a stream name that is not one of {@link KNOWN_STREAMS}. */
export const STREAM_MESSAGE = `stream must be one of ${KNOWN_STREAMS.join(', ')}`;

/** Route parameter `:stream`. */
export class StreamParam {
  @IsIn(KNOWN_STREAMS, { message: STREAM_MESSAGE }) stream!: string;
}
