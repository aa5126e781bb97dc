/**
 * Scale domains that stay put while a live chart grows. Vega recomputes a data-driven domain on
 * every change and hands each scale a new array, so every mark using the scale is encoded again
 * and the axes redrawn, even for one new point. Here:
 *
 * - a continuous scale's domain is two scalar signals over Vega's own extents of its fields; while
 *   the chart is live (signal `windowpane_stepped`) they grow in nice steps of up to a fifth of the
 *   span (8 to 20 % headroom), so most changes leave them equal and Vega stops there. Otherwise (static
 *   images, the chart once it ends, any other Vega renderer) they are the plain data extent.
 * - a discrete scale over a field of the rows takes its values from a small dataset of the field's
 *   distinct values, which the renderer feeds (./feed.ts) only when a value appears or goes: listed in
 *   the spec's usermeta so that every renderer knows.
 */
import type { Spec as VegaSpec } from 'vega';

export const STEPPED_SIGNAL = 'windowpane_stepped';

/** A dataset of a row field's distinct values ({ value }), fed by the renderer. */
export interface DistinctValues {
  readonly data: string;
  readonly field: string;
}

type Obj = Record<string, unknown>;
interface Ref {
  readonly data: string;
  readonly field: string;
}

const CONTINUOUS = new Set([undefined, 'linear', 'time', 'utc', 'pow', 'sqrt']);
const DISCRETE = new Set(['ordinal', 'band', 'point']);
/** Scale properties that make the domain something else than the data's extent or values. */
const OWN_DOMAIN = ['domainRaw', 'domainMin', 'domainMax', 'domainMid', 'bins'];

const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The (data, field) pairs of a data-driven domain: { data, field }, { data, fields }, { fields: [{ data, field }] }. */
function refs(domain: unknown): Ref[] | undefined {
  if (!isObj(domain)) return undefined;
  if (typeof domain.data === 'string' && typeof domain.field === 'string') return [{ data: domain.data, field: domain.field }];
  if (!Array.isArray(domain.fields)) return undefined;
  const out: Ref[] = [];
  for (const f of domain.fields as unknown[]) {
    if (typeof f === 'string' && typeof domain.data === 'string') out.push({ data: domain.data, field: f });
    else if (isObj(f) && typeof f.data === 'string' && typeof f.field === 'string') out.push({ data: f.data, field: f.field });
    else return undefined;
  }
  return out.length > 0 ? out : undefined;
}

/** Fields the Vega-Lite spec draws as they are on a nominal or ordinal channel (no time unit, bin or aggregate). */
function rawDiscreteFields(vl: Obj): Set<string> {
  const out = new Set<string>();
  const visit = (spec: unknown): void => {
    if (!isObj(spec)) return;
    for (const def of Object.values(isObj(spec.encoding) ? spec.encoding : {})) {
      if (isObj(def) && typeof def.field === 'string' && (def.type === 'nominal' || def.type === 'ordinal') && !def.timeUnit && !def.bin && !def.aggregate) out.add(def.field);
    }
    if (Array.isArray(spec.layer)) spec.layer.forEach(visit);
  };
  visit(vl);
  return out;
}

/** `a` and `b` of several extents combined, skipping the invalid ones (an empty dataset). */
function combine(fn: 'min' | 'max', parts: readonly string[]): string {
  return parts.reduce((acc, p) => `(isValid(${acc}) ? (isValid(${p}) ? ${fn}(${acc}, ${p}) : ${acc}) : ${p})`);
}

/** Signals for a continuous scale's bounds: exact, or stepped with headroom while live. */
function boundSignals(name: string, extents: readonly string[]): Obj[] {
  const [min, max, span, unit, step] = ['min', 'max', 'span', 'unit', 'step'].map((s) => `windowpane_${s}_${name}`) as [string, string, string, string, string];
  const valid = `isValid(${min}) && isValid(${max})`;
  return [
    { name: min, update: combine('min', extents.map((e) => `${e}[0]`)) },
    { name: max, update: combine('max', extents.map((e) => `${e}[1]`)) },
    // a single value spans itself
    { name: span, update: `${valid} && ${max} > ${min} ? ${max} - ${min} : (${valid} && ${max} !== 0 ? abs(${max}) : 1)` },
    // a nice step (1, 2 or 5 times a power of ten) of at most a fifth of the span: 8–20 % headroom
    { name: unit, update: `pow(10, floor(log(${span} / 5) / LN10))` },
    { name: step, update: `(${span} / 5 >= 5 * ${unit} ? 5 : ${span} / 5 >= 2 * ${unit} ? 2 : 1) * ${unit}` },
    { name: `windowpane_lo_${name}`, update: `${STEPPED_SIGNAL} && ${valid} ? floor(${min} / ${step}) * ${step} : ${min}` },
    { name: `windowpane_hi_${name}`, update: `${STEPPED_SIGNAL} && ${valid} ? (floor(${max} / ${step}) + 1) * ${step} : ${max}` },
  ];
}

/** Rewrites the compiled spec's data-driven domains as described above. */
export function stableDomains(vega: VegaSpec, vegaLite: Obj): VegaSpec {
  const data: Obj[] = (vega.data ?? []).map((d) => ({ ...(d as unknown as Obj) }));
  const signals: Obj[] = [{ name: STEPPED_SIGNAL, value: false }];
  const distinct: DistinctValues[] = [];
  const raw = rawDiscreteFields(vegaLite);
  const addTransform = (name: string, t: Obj): boolean => {
    const d = data.find((x) => x.name === name);
    if (!d) return false;
    d.transform = [...(Array.isArray(d.transform) ? (d.transform as unknown[]) : []), t];
    return true;
  };
  const scales = (vega.scales ?? []).map((scale) => {
    const s = scale as unknown as Obj;
    const found = refs(s.domain);
    const name = String(s.name).replace(/\W/g, '_');
    if (!found || OWN_DOMAIN.some((k) => k in s)) return scale;
    if (CONTINUOUS.has(s.type as string | undefined)) {
      const extents = found.map((_, i) => `windowpane_extent_${name}_${i}`);
      if (!found.every((r, i) => addTransform(r.data, { type: 'extent', field: r.field, signal: extents[i] }))) return scale;
      signals.push(...boundSignals(name, extents));
      return { ...s, domain: [{ signal: `windowpane_lo_${name}` }, { signal: `windowpane_hi_${name}` }] } as unknown as typeof scale;
    }
    const field = found[0]!.field;
    const sort = (s.domain as Obj).sort;
    if (!DISCRETE.has(s.type as string) || !raw.has(field) || found.some((r) => r.field !== field) || (sort !== undefined && sort !== true)) return scale;
    const values = `windowpane_values_${name}`;
    data.push({ name: values });
    distinct.push({ data: values, field });
    return { ...s, domain: { data: values, field: 'value', ...(sort === true ? { sort: true } : {}) } } as unknown as typeof scale;
  });
  const usermeta = { ...(isObj(vega.usermeta) ? vega.usermeta : {}), windowpane: { distinct } };
  return { ...vega, data, scales, signals: [...(vega.signals ?? []), ...signals], usermeta } as unknown as VegaSpec;
}

/** The distinct-value datasets a compiled spec asks its renderer to feed. */
export function distinctValues(vega: VegaSpec): DistinctValues[] {
  const meta = (vega.usermeta as Obj | undefined)?.windowpane;
  const list = isObj(meta) && Array.isArray(meta.distinct) ? (meta.distinct as unknown[]) : [];
  return list.filter((d): d is DistinctValues => isObj(d) && typeof d.data === 'string' && typeof d.field === 'string');
}
