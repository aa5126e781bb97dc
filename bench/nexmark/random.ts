/**
 * A small seeded PRNG for the Nexmark generator. The reference generator seeds java.util.Random
 * with each event's id, so an event depends only on its id; here each event's stream is
 * splitmix32 over (seed, event id), which keeps that property and is fast in JavaScript.
 */
export class EventRandom {
  private state: number;

  constructor(seed: number, eventId: number) {
    // mix the two into one 32-bit state; eventId may exceed 2^32, so fold its high part in
    const hi = Math.floor(eventId / 0x1_0000_0000);
    this.state = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(eventId >>> 0, 0xc2b2ae35) ^ Math.imul(hi, 0x27d4eb2f)) >>> 0;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  }

  /** A uniform double in [0, 1). */
  nextDouble(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /** A uniform integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.nextDouble() * n);
  }
}
