/**
 * What the JobManager's REST API says about a running job, for stats(): records its sources have
 * read, and events its window operators dropped as late (Flink counts them; it does not keep them).
 */

interface Vertex {
  readonly id: string;
  readonly name: string;
  readonly metrics?: { readonly 'write-records'?: number };
}

export interface JobMetrics {
  /** Records the job's sources emitted (history rows and live records, before the query filters them). */
  readonly sourceRecords: number;
  /** Events window operators dropped because their window had closed. */
  readonly lateDropped: number;
  /** RUNNING, RESTARTING, FINISHED, ... */
  readonly state: string;
}

async function get<T>(url: string): Promise<T | undefined> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return r.ok ? ((await r.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

/** The job's metrics, or undefined when the JobManager does not answer. */
export async function jobMetrics(webUi: string, jobId: string): Promise<JobMetrics | undefined> {
  const job = await get<{ state?: string; vertices?: Vertex[] }>(`${webUi}/v1/jobs/${jobId}`);
  if (!job?.vertices) return undefined;
  let sourceRecords = 0;
  let lateDropped = 0;
  for (const v of job.vertices) {
    if (/^Source: /.test(v.name)) sourceRecords += v.metrics?.['write-records'] ?? 0;
    if (!/WindowAggregate|WindowJoin/.test(v.name)) continue;
    const ids = await get<{ id: string }[]>(`${webUi}/v1/jobs/${jobId}/vertices/${v.id}/subtasks/metrics`);
    const late = (ids ?? []).map((m) => m.id).filter((id) => id.endsWith('numLateRecordsDropped'));
    if (late.length === 0) continue;
    const values = await get<{ id: string; sum?: number }[]>(`${webUi}/v1/jobs/${jobId}/vertices/${v.id}/subtasks/metrics?get=${late.join(',')}&agg=sum`);
    for (const m of values ?? []) lateDropped += m.sum ?? 0;
  }
  return { sourceRecords, lateDropped, state: job.state ?? 'UNKNOWN' };
}

/** A link to the job in the Flink web UI. */
export function jobLink(webUi: string, jobId: string): string {
  return `${webUi}/#/job/running/${jobId}/overview`;
}
