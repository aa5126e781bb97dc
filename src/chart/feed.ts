/**
 * Feeds a Vega view a chart's rows by key: upserts and removals gather until flush(), which hands
 * the view one changeset (and the distinct-value datasets of ./domains.ts only what appeared or
 * went). The one implementation behind the kernel's snapshots (render.ts) and the JupyterLab
 * extension's live view, which compiles this module in: it imports nothing but Vega.
 */
import { changeset, type Spec as VegaSpec, type View } from 'vega';
import { distinctValues, STEPPED_SIGNAL, type DistinctValues } from './domains.js';
import type { Tuple } from './protocol.js';

type Scalar = Tuple[string];

/**
 * One distinct-value dataset: the value each row counts for (kept apart: Vega may rewrite a held
 * row's fields), how many rows hold each value, and the { value } objects the view holds.
 */
class Distinct {
  private readonly byKey = new Map<string, Scalar | undefined>();
  private readonly counts = new Map<Scalar | undefined, number>();
  private readonly held = new Map<Scalar | undefined, object>();
  private readonly touched = new Set<Scalar | undefined>();

  constructor(readonly d: DistinctValues) {}

  /** The row with this key now holds `t` (undefined: it is gone). */
  set(key: string, t: Tuple | undefined): void {
    const had = this.byKey.has(key);
    const before = this.byKey.get(key);
    const after = t?.[this.d.field];
    if (had && t && before === after) return;
    if (had) this.count(before, -1);
    if (t) {
      this.byKey.set(key, after);
      this.count(after, 1);
    } else this.byKey.delete(key);
  }

  private count(v: Scalar | undefined, by: 1 | -1): void {
    this.counts.set(v, (this.counts.get(v) ?? 0) + by);
    this.touched.add(v);
  }

  flush(view: View): void {
    if (this.touched.size === 0) return;
    const insert: object[] = [];
    const remove: object[] = [];
    for (const v of this.touched) {
      const n = this.counts.get(v) ?? 0;
      const old = this.held.get(v);
      if (n > 0 && !old) {
        const o = { value: v };
        this.held.set(v, o);
        insert.push(o);
      } else if (n <= 0) {
        this.counts.delete(v);
        if (old) {
          this.held.delete(v);
          remove.push(old);
        }
      }
    }
    this.touched.clear();
    if (insert.length > 0 || remove.length > 0) view.change(this.d.data, changeset().remove(remove).insert(insert));
  }
}

export class ViewFeed {
  /** The objects the view holds, by key: Vega transforms may rewrite fields in place, so it gets copies. */
  private readonly held = new Map<string, Tuple>();
  private readonly pending = new Map<string, Tuple | null>();
  private readonly distinct: Distinct[];
  private readonly stepped: boolean;

  /** `spec` is the one `view` was parsed from: it names the distinct-value datasets and has the stepped signal. */
  constructor(
    private readonly view: View,
    private readonly dataName: string,
    spec: VegaSpec,
  ) {
    this.distinct = distinctValues(spec).map((d) => new Distinct(d));
    this.stepped = (spec.signals ?? []).some((s) => s.name === STEPPED_SIGNAL);
  }

  /** Rows the view will hold after the next flush. */
  get size(): number {
    let n = this.held.size;
    for (const [key, t] of this.pending) n += (t ? 1 : 0) - (this.held.has(key) ? 1 : 0);
    return n;
  }

  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  upsert(tuple: Tuple): void {
    this.pending.set(tuple.key, tuple);
  }

  remove(key: string): void {
    this.pending.set(key, null);
  }

  /** Makes the view hold exactly `rows`, sending only what differs. */
  replaceAll(rows: readonly Tuple[]): void {
    const keep = new Set<string>();
    for (const t of rows) keep.add(t.key);
    for (const key of this.held.keys()) if (!keep.has(key)) this.pending.set(key, null);
    for (const t of rows) this.pending.set(t.key, t);
  }

  /** Live: the domains step with headroom; otherwise they are the data's (./domains.ts). */
  setLive(live: boolean): void {
    if (this.stepped && this.view.signal(STEPPED_SIGNAL) !== live) this.view.signal(STEPPED_SIGNAL, live);
  }

  /**
   * Hands the view what changed since the last flush; returns whether anything did. The caller runs
   * the view. A row that was there and is again is modified in place, field by field: Vega then
   * re-encodes that item alone, where a removal would have it filter its whole store.
   */
  flush(): boolean {
    if (this.pending.size === 0) return false;
    const cs = changeset();
    const insert: Tuple[] = [];
    const remove: Tuple[] = [];
    for (const [key, t] of this.pending) {
      const old = this.held.get(key);
      for (const d of this.distinct) d.set(key, t ?? undefined);
      if (old && t) {
        for (const field in t) if (old[field] !== t[field]) cs.modify(old, field, t[field]);
      } else if (old) {
        remove.push(old);
        this.held.delete(key);
      } else if (t) {
        const copy = { ...t };
        this.held.set(key, copy);
        insert.push(copy);
      }
    }
    this.pending.clear();
    for (const d of this.distinct) d.flush(this.view);
    this.view.change(this.dataName, cs.remove(remove).insert(insert));
    return true;
  }
}
