import { InitialSchema1763719200000 } from './1763719200000-initial-schema.js';

/** Every migration in order; listed by class, not by glob, so source and built code load the same set. */
export const migrations = [InitialSchema1763719200000];
