import { Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { Access, AccessGuard } from '../auth/access.guard';
import { PoliciesService } from './policies.service';

@Controller('policies')
@UseGuards(AccessGuard)
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Post('reload')
  @HttpCode(200)
  @Access('admin')
  reload() {
    return this.policies.reload();
  }
}
