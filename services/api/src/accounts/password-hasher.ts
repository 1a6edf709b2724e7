import { type Algorithm, hash, verify } from '@node-rs/argon2';

/** Hashes passwords into self-describing strings and checks a password against one. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password and for a hash it cannot read, never an exception. */
  verify(passwordHash: string, password: string): Promise<boolean>;
}

/** Argon2id's work per hash: memory in KiB, passes, lanes. */
export interface Argon2Cost {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP's first recommended argon2id setting (19 MiB, 2 passes, 1 lane): about 20 ms a hash on one core. */
export const OWASP_ARGON2ID: Argon2Cost = Object.freeze({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });

// The value of the package's const enum Algorithm.Argon2id, which isolatedModules cannot read from its declarations.
const ARGON2ID = 2 as Algorithm;

/** Argon2id through @node-rs/argon2: a random salt per hash; the PHC string carries the salt and the cost it was made with. */
export class Argon2idPasswordHasher implements PasswordHasher {
  constructor(private readonly cost: Argon2Cost = OWASP_ARGON2ID) {}

  hash(password: string): Promise<string> {
    return hash(password, { algorithm: ARGON2ID, ...this.cost });
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }
}
