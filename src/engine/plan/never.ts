/** The default branch of an exhaustive switch: a new variant makes its call fail to compile. */
import { InternalError } from '../../errors.js';

export function assertNever(x: never): never {
  throw new InternalError(`unexpected plan variant: ${JSON.stringify(x)}`);
}
