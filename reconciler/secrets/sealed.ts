import { inspect } from 'node:util';

/**
 * A secret value sealed against accidental printing: `String()`, template literals,
 * `JSON.stringify`, `util.inspect` (and so console and pino) show `<secret NAME>`, never the
 * value. Only `reveal()` gives the value, and only the op runner calls it, at write time.
 */
export class SealedSecret {
  readonly name: string;
  readonly #value: string;

  constructor(name: string, value: string) {
    this.name = name;
    this.#value = value;
  }

  /** The value, for the one write that needs it. Never log or store the result. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return `<secret ${this.name}>`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
