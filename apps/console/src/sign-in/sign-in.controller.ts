import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import { IsString, Length } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '@app/http-app';
import { BackendClient } from '../backend/backend.client.js';
import { FormDto } from '../web/form.dto.js';
import { ViewRenderer } from '../web/view.renderer.js';

class SignInForm extends FormDto {
  @IsString() @Length(1, 200, { message: 'apiKey must be 1-200 characters' }) apiKey!: string;
}

/**
 * The API key is entered once and kept in the server-side session; every call to the apps carries it.
 * It is checked on the spot by a read the apps guard with it, so a wrong key is refused here.
 */
@Public()
@Controller()
export class SignInController {
  constructor(
    private readonly backend: BackendClient,
    private readonly views: ViewRenderer,
  ) {}

  @Get('login')
  form(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.views.page(request, reply, 'login', { title: 'Sign in' });
  }

  @Post('login')
  async signIn(@Body() { apiKey }: SignInForm, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { status, body } = await this.backend.send(this.backend.routes.streams, apiKey);
    if (status === 401 || status === 403) {
      return this.views.page(request, reply, 'login', { title: 'Sign in', refused: 'The system refused this API key.' }, 401);
    }
    if (status >= 300) {
      return this.views.page(request, reply, 'login', { title: 'Sign in', refused: `The event store answered ${status}: ${JSON.stringify(body)}` }, 502);
    }
    // A new session id once signed in, so an id planted before cannot ride on the key.
    await request.session.regenerate();
    request.session.apiKey = apiKey;
    return reply.redirect('/', 303);
  }

  @Post('logout')
  async signOut(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await request.session.destroy();
    return reply.redirect('/login', 303);
  }
}
