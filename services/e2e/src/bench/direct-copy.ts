import { PutObjectCommand } from '@aws-sdk/client-s3';
import { localPlatform, localS3Client } from '@importer/devkit';

/**
 * Every file id of the folder, listed with md5Checksum: the emulator computes an md5 by generating the file, which
 * Drive does once at upload, so listing once before anything is timed keeps that cost out of every measurement.
 */
export async function listFolder(rootUrl: string, folderId: string): Promise<string[]> {
  const ids: string[] = [];
  let pageToken: string | undefined;
  do {
    const url = new URL('drive/v3/files', rootUrl);
    url.search = new URLSearchParams({
      q: `'${folderId}' in parents and trashed = false`,
      pageSize: '1000',
      fields: 'nextPageToken,files(id,md5Checksum)',
      key: 'bench',
      ...(pageToken ? { pageToken } : {}),
    }).toString();
    const page = (await (await fetch(url)).json()) as { files: { id: string }[]; nextPageToken?: string };
    ids.push(...page.files.map((f) => f.id));
    pageToken = page.nextPageToken;
  } while (pageToken);
  return ids;
}

/** The same files, emulator to MinIO with @aws-sdk/client-s3 at this concurrency: no Dapr, no database; its seconds. */
export async function directCopy(rootUrl: string, ids: readonly string[], concurrency: number): Promise<number> {
  const s3 = localS3Client();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ids.length) {
        const id = ids[next++] as string;
        const response = await fetch(new URL(`drive/v3/files/${id}?alt=media&key=bench`, rootUrl));
        const body = Buffer.from(await response.arrayBuffer());
        await s3.send(new PutObjectCommand({ Bucket: localPlatform.minio.bucket, Key: `bench-direct/${id}`, Body: body, ContentType: 'image/png' }));
      }
    }),
  );
  s3.destroy();
  return (performance.now() - started) / 1000;
}
