// Every migration, oldest first. Run by DecisionLog.open (synchronize is off).
import { CreateDecisionLog1732233600000 } from './1732233600000-create-decision-log';

export const MIGRATIONS = [CreateDecisionLog1732233600000];
