// Final stage: hand the checked, rewritten modules to the planner.
import { planPolicy } from '../../planner';
import type { Stage } from '../context';

export const planStage: Stage = {
  name: 'plan',
  needsClean: true,
  run(ctx) {
    ctx.policy = planPolicy(ctx);
  },
};
