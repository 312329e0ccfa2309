import { encodePng, type Raster } from './png.ts';

/**
 * The moderators' 12-week chart: two bars per week (introductions, meetings that
 * happened), scaled to the tallest week, with a baseline and light gridlines.
 * Layout constants are exported so tests can read the bars back from the pixels.
 */
export const CHART = {
  width: 720,
  height: 360,
  left: 40,
  right: 20,
  top: 20,
  bottom: 40,
  colors: {
    background: [255, 255, 255, 255],
    grid: [225, 228, 232, 255],
    axis: [60, 60, 60, 255],
    introductions: [46, 110, 180, 255],
    met: [230, 140, 40, 255],
  },
} as const;

export interface WeekBar {
  introductions: number;
  met: number;
}

type Rgba = readonly [number, number, number, number];

function fill(r: Raster, x0: number, y0: number, x1: number, y1: number, color: Rgba): void {
  for (let y = Math.max(0, y0); y < Math.min(r.height, y1); y++) {
    for (let x = Math.max(0, x0); x < Math.min(r.width, x1); x++) {
      r.pixels.set(color, (y * r.width + x) * 4);
    }
  }
}

/** Where week `i`'s two bars sit: [introductions x0, x1, met x0, x1]. */
export function barColumns(weeks: number, i: number): [number, number, number, number] {
  const plot = CHART.width - CHART.left - CHART.right;
  const slot = Math.floor(plot / weeks);
  const x = CHART.left + i * slot;
  const bar = Math.max(2, Math.floor(slot * 0.35));
  const gap = Math.floor(slot * 0.1);
  return [x + gap, x + gap + bar, x + gap + bar, x + gap + 2 * bar];
}

/** Pixel height of a bar for a value, given the tallest value in the chart. */
export function barHeight(value: number, max: number): number {
  const plot = CHART.height - CHART.top - CHART.bottom;
  return max === 0 ? 0 : Math.round((value / max) * plot);
}

export function renderChart(weeks: WeekBar[]): Buffer {
  const r: Raster = { width: CHART.width, height: CHART.height, pixels: new Uint8Array(CHART.width * CHART.height * 4) };
  fill(r, 0, 0, r.width, r.height, CHART.colors.background);
  const baseline = CHART.height - CHART.bottom;
  for (let g = 1; g <= 4; g++) {
    const y = baseline - Math.round(((CHART.height - CHART.top - CHART.bottom) * g) / 4);
    fill(r, CHART.left, y, CHART.width - CHART.right, y + 1, CHART.colors.grid);
  }
  const max = Math.max(0, ...weeks.map((w) => Math.max(w.introductions, w.met)));
  weeks.forEach((w, i) => {
    const [a0, a1, b0, b1] = barColumns(weeks.length, i);
    fill(r, a0, baseline - barHeight(w.introductions, max), a1, baseline, CHART.colors.introductions);
    fill(r, b0, baseline - barHeight(w.met, max), b1, baseline, CHART.colors.met);
  });
  fill(r, CHART.left, baseline, CHART.width - CHART.right, baseline + 2, CHART.colors.axis);
  fill(r, CHART.left - 2, CHART.top, CHART.left, baseline + 2, CHART.colors.axis);
  return encodePng(r);
}
