/** The default branch of an exhaustive switch: a new variant makes its call fail to compile. */
export function assertNever(x: never): never {
  throw new Error(`unexpected plan variant: ${JSON.stringify(x)}`);
}
