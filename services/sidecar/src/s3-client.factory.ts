import { S3Client } from '@aws-sdk/client-s3';
import type { DaprClient } from '@dapr/dapr';
import { ComponentName } from '@importer/contracts';
import { z } from 'zod';

/** Where the S3 API is, for what the binding cannot do: streaming uploads of large files, and ranged, streamed reads. */
export const S3EnvSchema = z.object({
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_BUCKET: z.string().min(1).default('images'),
  S3_FORCE_PATH_STYLE: z.stringbool().default(true),
});

export interface S3Settings {
  readonly endpoint: string | undefined;
  readonly region: string;
  readonly bucket: string;
  readonly forcePathStyle: boolean;
}

export function s3Settings(e: z.infer<typeof S3EnvSchema>): S3Settings {
  return { endpoint: e.S3_ENDPOINT, region: e.S3_REGION, bucket: e.S3_BUCKET, forcePathStyle: e.S3_FORCE_PATH_STYLE };
}

/** An S3 client with the credentials the S3 binding uses, read from the Dapr secret store, never from the app's environment. */
export async function createS3Client(daprClient: DaprClient, settings: S3Settings): Promise<S3Client> {
  const secret = async (name: string) => {
    const value = (await daprClient.secret.get(ComponentName.secretStore, name)) as Record<string, string>;
    const found = value[name];
    if (!found) throw new Error(`secret ${name} is missing from ${ComponentName.secretStore}`);
    return found;
  };
  return new S3Client({
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    credentials: { accessKeyId: await secret('S3_ACCESS_KEY'), secretAccessKey: await secret('S3_SECRET_KEY') },
  });
}
