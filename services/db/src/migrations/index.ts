import { InitialSchema1763719200000 } from './1763719200000-initial-schema.js';
import { LedgerResume1763722800000 } from './1763722800000-ledger-resume.js';

/** Every migration in order; listed by class, not by glob, so source and built code load the same set. */
export const migrations = [InitialSchema1763719200000, LedgerResume1763722800000];
