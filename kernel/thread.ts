import { Worker } from 'node:worker_threads';

/**
 * Starts one of the kernel's threads: `name` is a module beside `caller` (its import.meta.url).
 * From source (tests run under tsx) the thread registers tsx itself before loading the module.
 */
export function startThread(caller: string, name: string, workerData: unknown): Worker {
  return caller.endsWith('.ts')
    ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((t) => { t.register(); return import(${JSON.stringify(new URL(`./${name}.ts`, caller).href)}); })`, { eval: true, workerData })
    : new Worker(new URL(`./${name}.js`, caller), { workerData });
}
