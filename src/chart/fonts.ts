/**
 * Fonts for the static PNG. resvg draws no text without a font and must never fetch one, so we load
 * a font file from disk: DejaVu Sans (Debian: fonts-dejavu-core), else Liberation Sans; only when
 * neither exists do we let resvg scan the system fonts.
 */
import { existsSync } from 'node:fs';
import type { ResvgRenderOptions } from '@resvg/resvg-js';

const CANDIDATES: readonly (readonly [family: string, files: readonly string[]])[] = [
  ['DejaVu Sans', ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf', '/usr/share/fonts/TTF/DejaVuSans.ttf', '/usr/share/fonts/dejavu/DejaVuSans.ttf']],
  ['Liberation Sans', ['/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf']],
];

let cached: NonNullable<ResvgRenderOptions['font']> | undefined;

export function chartFonts(): NonNullable<ResvgRenderOptions['font']> {
  if (cached) return cached;
  for (const [family, files] of CANDIDATES) {
    const found = files.filter((f) => existsSync(f));
    if (found.length > 0) {
      cached = { loadSystemFonts: false, fontFiles: found, defaultFontFamily: family, sansSerifFamily: family };
      return cached;
    }
  }
  cached = { loadSystemFonts: true };
  return cached;
}

/** Whether text in PNGs will render with a known font file (false: resvg falls back to system fonts). */
export function hasChartFont(): boolean {
  return chartFonts().loadSystemFonts === false;
}
