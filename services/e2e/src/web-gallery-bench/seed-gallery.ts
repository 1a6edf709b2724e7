import { PutObjectCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import type { TestDatabase } from '@importer/db/testing';
import { localPlatform, localS3Client } from '@importer/devkit';
import { seedImages } from '../gallery-bench/seed-images.js';

/** The one preview every seeded image shows, so the browser decodes real thumbnails instead of counting 404s. */
export const PREVIEW_KEY = 'web-gallery-bench/preview.webp';

export interface SeededUserGallery {
  ownerId: string;
  images: number;
  seconds: number;
}

/** A small WebP, as transfer's previews are (one colour is enough: the bench measures the page, not the codec). */
async function previewBytes(): Promise<Buffer> {
  return sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 70, g: 120, b: 160 } } })
    .webp({ quality: 70 })
    .toBuffer();
}

/** Seeds `images` images for the user with this email (gallery-bench's seeder), each pointing at one uploaded preview. */
export async function seedUserGallery(db: TestDatabase['dataSource'], email: string, images: number): Promise<SeededUserGallery> {
  const [user] = (await db.query(`SELECT id FROM users WHERE email = $1`, [email])) as { id: string }[];
  if (!user) throw new Error(`no user ${email} to seed images for`);
  const seeded = await seedImages(db, user.id, { images, jobs: 50 });
  await localS3Client().send(new PutObjectCommand({ Bucket: localPlatform.minio.bucket, Key: PREVIEW_KEY, Body: await previewBytes(), ContentType: 'image/webp' }));
  await db.query(`UPDATE images SET preview_path = $2, preview_width = 320, preview_height = 240 WHERE owner_id = $1`, [user.id, PREVIEW_KEY]);
  return { ownerId: user.id, images: seeded.images, seconds: seeded.seconds };
}
