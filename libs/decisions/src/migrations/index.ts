// Every migration, oldest first. Run by DecisionLog.open (synchronize is off).
import { CreateDecisionLog1732233600000 } from './1732233600000-create-decision-log';
import { AddHistoryRef1763769600000 } from './1763769600000-add-history-ref';
import { DropUnusedIndexes1764115200000 } from './1764115200000-drop-unused-indexes';

export const MIGRATIONS = [CreateDecisionLog1732233600000, AddHistoryRef1763769600000, DropUnusedIndexes1764115200000];
