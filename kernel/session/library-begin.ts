/**
 * Evaluated first of the library's module graph (library.ts imports it before the library): from
 * here to the end of library.ts the main thread evaluates the library's modules in one synchronous
 * run, which an interrupt must not terminate (kernel/README.md, "Interrupts").
 */
import { beginInternalWork } from '../internal-work.js';

beginInternalWork();
export const libraryWork = { open: true };
