import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { Access, AccessGuard } from '../auth/access.guard';
import { AnalystService } from './analyst.service';

@Controller()
@UseGuards(AccessGuard)
export class AnalystController {
  constructor(private readonly service: AnalystService) {}

  @Get('decisions')
  @Access('admin')
  list(@Query() query: unknown) {
    return this.service.listDecisions(query);
  }

  @Get('decisions/:id')
  @Access('admin')
  get(@Param('id') id: string) {
    return this.service.getDecision(id);
  }

  @Get('sessions/:id')
  @Access('admin')
  session(@Param('id') id: string, @Query() query: unknown) {
    return this.service.getSession(id, query);
  }
}
