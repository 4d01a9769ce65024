import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Caller } from '@arbiter/contracts';
import { Access, AccessGuard } from '../auth/access.guard';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { DecideService } from './decide.service';

@Controller()
@UseGuards(AccessGuard)
export class DecideController {
  constructor(private readonly service: DecideService) {}

  @Post('decide')
  @HttpCode(200)
  @Access('decide')
  decide(@Body() body: unknown, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.service.decide(body, caller, reply);
  }
}
