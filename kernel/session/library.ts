/**
 * The windowpane library as the session preloads it: this module's graph is library-begin.ts, then
 * the library (src/index.js: src/*.ts under tsx, dist/src/*.js when built — the one instance the
 * kernel and the NotebookHost use), then the line below that ends the internal work.
 */
import { libraryWork } from './library-begin.js';
import * as windowpane from '../../src/index.js';
import { endInternalWork } from '../internal-work.js';

libraryWork.open = false;
endInternalWork();

export { windowpane };
