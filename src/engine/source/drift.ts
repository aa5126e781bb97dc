/**
 * Schema drift of a live JSON source, told once per change: a field the records did not have at
 * first (and the schema does not declare), or a field whose JSON type changes (a number that
 * becomes a string). The records are never touched here: a new field is ignored as before, and a
 * changed value is typed by the schema as always (kept when it converts, else dead-lettered with
 * its reason). A sample of each batch is looked at, so the cost does not grow with the batch: a
 * producer's schema changes for every record that follows, and single bad records have their own
 * dead-letter reasons.
 */
import { textAt } from '../../kafka/batch.js';
import type { RecordBatch } from '../../kafka/reader.js';
import { messages } from '../../messages.js';
import type { SourceSpec } from './types.js';

/** Records looked at per batch, spread over it. */
const SAMPLE = 16;

type JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array';

function jsonType(v: unknown): JsonType | undefined {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean' || t === 'object' ? t : undefined;
}

function parseObject(value: string | null): Record<string, unknown> | undefined {
  if (value === null || !value.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(value);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export class DriftWatch {
  /** Fields of the first records, and each field's first JSON type. */
  private known: Set<string> | undefined;
  private readonly types = new Map<string, JsonType>();
  private readonly told = new Set<string>();
  /** Changes told so far. */
  changes = 0;

  constructor(
    private readonly source: Pick<SourceSpec, 'name' | 'schema'>,
    private readonly topic: string,
    private readonly warn: (message: string) => void,
  ) {}

  observe(partition: number, batch: RecordBatch): void {
    const n = batch.length;
    const step = n <= SAMPLE ? 1 : (n - 1) / (SAMPLE - 1);
    for (let i = 0; i < Math.min(n, SAMPLE); i++) {
      const at = Math.round(i * step);
      const fields = parseObject(textAt(batch.values, at));
      if (fields) this.look(fields, partition, batch.offsets[at]!);
    }
  }

  private look(fields: Record<string, unknown>, partition: number, offset: number): void {
    const first = this.known === undefined;
    this.known ??= new Set(Object.keys(fields));
    const declared = this.source.schema;
    for (const [field, value] of Object.entries(fields)) {
      if (!this.known.has(field)) {
        this.known.add(field);
        if (!first && !(declared && Object.hasOwn(declared, field))) this.tell(`new ${field}`, messages.driftNewField(this.source.name, this.topic, field, partition, offset));
      }
      const type = jsonType(value);
      if (type === undefined) continue;
      const before = this.types.get(field);
      if (before === undefined) this.types.set(field, type);
      else if (before !== type) {
        // later changes are told against the latest type
        this.types.set(field, type);
        if (!declared || Object.hasOwn(declared, field)) this.tell(`type ${field} ${type}`, messages.driftTypeChanged(this.source.name, this.topic, field, before, type, partition, offset, declared?.[field]));
      }
    }
  }

  private tell(key: string, message: string): void {
    if (this.told.has(key)) return;
    this.told.add(key);
    this.changes++;
    this.warn(message);
  }
}
