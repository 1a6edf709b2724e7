import { InitialSchema1763719200000 } from './1763719200000-initial-schema.js';
import { LedgerResume1763722800000 } from './1763722800000-ledger-resume.js';
import { UrlLists1763726400000 } from './1763726400000-url-lists.js';
import { ImagePreviews1763730000000 } from './1763730000000-image-previews.js';
import { MillisecondKeyset1763733600000 } from './1763733600000-millisecond-keyset.js';
import { LedgerFilePages1763737200000 } from './1763737200000-ledger-file-pages.js';
import { ImageContentHash1763740800000 } from './1763740800000-image-content-hash.js';
import { FolderListingAttempts1763744400000 } from './1763744400000-folder-listing-attempts.js';
import { FolderSharedLink1763748000000 } from './1763748000000-folder-shared-link.js';
import { Accounts1763751600000 } from './1763751600000-accounts.js';
import { Ownership1763755200000 } from './1763755200000-ownership.js';
import { WorkLeases1763758800000 } from './1763758800000-work-leases.js';
import { JobRecovery1763760600000 } from './1763760600000-job-recovery.js';
import { ImageTotals1763762400000 } from './1763762400000-image-totals.js';

/** Every migration in order; listed by class, not by glob, so source and built code load the same set. */
export const migrations = [InitialSchema1763719200000, LedgerResume1763722800000, UrlLists1763726400000, ImagePreviews1763730000000, MillisecondKeyset1763733600000, LedgerFilePages1763737200000, ImageContentHash1763740800000, FolderListingAttempts1763744400000, FolderSharedLink1763748000000, Accounts1763751600000, Ownership1763755200000, WorkLeases1763758800000, JobRecovery1763760600000, ImageTotals1763762400000];
