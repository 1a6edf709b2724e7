import type { DataSource } from 'typeorm';

/** The three sources a seeded gallery spreads over, as images.source holds them. */
export const SEEDED_SOURCES = ['google_drive', 'dropbox', 'url'] as const;

export interface SeedOptions {
  /** Images to write (1,000,000 for the gallery bench). */
  images: number;
  /** Jobs they belong to, job k of source SEEDED_SOURCES[k % 3]: image i is job (i % jobs)'s. */
  jobs: number;
  /** The newest image's created_at; each older one is 1 ms before the next, so every keyset position is distinct. */
  newest?: Date;
  /** Images written per INSERT, so no one statement holds a million rows' transition table. */
  chunk?: number;
}

export interface SeededGallery {
  ownerId: string;
  /** The jobs written, job k at index k (newest first by created_at). */
  jobIds: string[];
  images: number;
  /** Wall seconds the seeding took. */
  seconds: number;
}

/**
 * Writes `options.jobs` completed import jobs and `options.images` images (no objects in storage behind them) for one
 * existing user, with INSERT … SELECT generate_series so a million rows take seconds, not an import. The rows are that
 * owner's alone: seed a user of a database of its own (createTestDatabase) so nothing else sees them.
 */
export async function seedImages(db: Pick<DataSource, 'query'>, ownerId: string, options: SeedOptions): Promise<SeededGallery> {
  const started = performance.now();
  const newest = options.newest ?? new Date();
  const chunk = options.chunk ?? 100_000;
  const jobIds = (
    (await db.query(
      `INSERT INTO import_jobs (id, owner_id, source, folder_url, status, total_files, processed_files, bytes, created_at, finished_at)
       SELECT gen_random_uuid(), $1::uuid, ($2::text[])[1 + k % 3], 'https://seed.example/folder/' || k, 'completed',
              ceil(($3::int - k) / $4::numeric)::int, ceil(($3::int - k) / $4::numeric)::int, 0,
              $5::timestamptz - k * interval '1 second', $5::timestamptz - k * interval '1 second'
       FROM generate_series(0, $4::int - 1) AS k
       RETURNING id, created_at`,
      [ownerId, SEEDED_SOURCES, options.images, options.jobs, newest],
    )) as { id: string; created_at: Date }[]
  )
    .sort((a, b) => b.created_at.getTime() - a.created_at.getTime())
    .map((row) => row.id);
  for (let from = 0; from < options.images; from += chunk) {
    const to = Math.min(options.images, from + chunk) - 1;
    await db.query(
      `INSERT INTO images (id, owner_id, source, source_file_id, google_drive_id, job_id, name, mime_type, size, storage_path, md5, width, height, created_at)
       SELECT gen_random_uuid(), $1::uuid, ($2::text[])[1 + (i % $3::int) % 3], 'seed-' || i,
              CASE WHEN (i % $3::int) % 3 = 0 THEN 'seed-' || i END, ($4::uuid[])[1 + i % $3::int],
              'seeded-' || i || '.jpg', 'image/jpeg', 100000 + (i % 1000) * 1000, 'seed/' || i || '.jpg', md5(i::text), 1600, 1200,
              $5::timestamptz - i * interval '1 millisecond'
       FROM generate_series($6::int, $7::int) AS i`,
      [ownerId, SEEDED_SOURCES, options.jobs, jobIds, newest, from, to],
    );
  }
  await db.query(`ANALYZE images`);
  await db.query(`ANALYZE import_jobs`);
  return { ownerId, jobIds, images: options.images, seconds: (performance.now() - started) / 1000 };
}
