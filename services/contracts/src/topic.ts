import type { z } from 'zod';

/** A pub/sub topic and the schema of every message on it; its dead-letter topic is derived, never typed twice. */
export interface TopicContract<T> {
  readonly name: string;
  readonly schema: z.ZodType<T>;
  /** Where daprd sends a message the handler dropped or could not process after every retry. */
  readonly deadLetter: string;
}

export function defineTopic<S extends z.ZodType>(name: string, schema: S): TopicContract<z.infer<S>> {
  return Object.freeze({ name, schema: schema as z.ZodType<z.infer<S>>, deadLetter: `${name}-dead-letter` });
}
