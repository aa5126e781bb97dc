/**
 * A query's provenance in the display metadata of its chart or table, under 'windowpane.provenance':
 * `windowpane run` collects it into the executed notebook's metadata (src/runner/outputs.ts).
 */
import { PROVENANCE_METADATA_KEY } from './protocol.js';

export { PROVENANCE_METADATA_KEY };

/** The metadata for a source's outputs: its provenance() when it has one (a query), else none. */
export function provenanceMetadata(source: unknown): Record<string, unknown> | undefined {
  const f = typeof source === 'object' && source !== null ? (source as { provenance?: unknown }).provenance : undefined;
  if (typeof f !== 'function') return undefined;
  try {
    const p: unknown = f.call(source);
    return p === undefined || p === null ? undefined : { [PROVENANCE_METADATA_KEY]: p };
  } catch {
    return undefined;
  }
}
