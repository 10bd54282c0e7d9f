import { Controller, Get } from '@nestjs/common';
import { SAGA_STATES, TERMINAL_STATES, TRANSITIONS } from '../saga/saga.machine.js';

/** The state machine as data, from the one table `decide` follows: the console draws it, with a saga's path on it. */
@Controller('api/saga')
export class SagaMachineController {
  @Get('machine')
  machine() {
    return { states: SAGA_STATES, terminal: TERMINAL_STATES, transitions: TRANSITIONS };
  }
}
