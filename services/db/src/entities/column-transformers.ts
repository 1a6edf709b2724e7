import type { ValueTransformer } from 'typeorm';

/** pg returns int8 as a string; sizes and byte counts stay far below 2^53, so a number is exact. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
