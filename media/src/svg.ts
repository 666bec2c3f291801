// SVG built through the DOM (never parsed from a string): every label from data is set as text.
// Colours come from the theme through `themeColor`, set as presentation attributes, which the
// panel's Content-Security-Policy allows (it forbids only inline style attributes and scripts).

const NS = 'http://www.w3.org/2000/svg';

type Child = SVGElement | string | null | undefined | false;

export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number | null | undefined> = {},
  ...children: (Child | Child[])[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined) continue;
    if (key === 'text') element.textContent = String(value);
    else element.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

/** A chart's frame: plot area from (left, top) of the given size, y from 0 to 1 with gridlines every 0.25. */
export interface UnitFrame {
  width: number;
  height: number;
  left: number;
  top: number;
  plotWidth: number;
  plotHeight: number;
  /** y value (0..1) to pixels. */
  y(value: number): number;
}

export function unitFrame(width: number, height: number, margin = { left: 44, right: 12, top: 12, bottom: 40 }): UnitFrame {
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  return {
    width, height, left: margin.left, top: margin.top, plotWidth, plotHeight,
    y: (value) => margin.top + plotHeight * (1 - Math.min(1, Math.max(0, value))),
  };
}

/** Horizontal gridlines and their labels at 0, 0.25, …, 1 of the plot's height. */
export function unitGrid(frame: UnitFrame, foreground: string, grid: string, label: (v: number) => string = (v) => v.toFixed(2)): SVGElement {
  const group = s('g', { class: 'grid' });
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    const y = frame.y(v);
    group.appendChild(s('line', { x1: frame.left, x2: frame.left + frame.plotWidth, y1: y, y2: y, stroke: grid, 'stroke-width': 1 }));
    group.appendChild(s('text', { x: frame.left - 6, y: y + 4, 'text-anchor': 'end', fill: foreground, 'font-size': 11, text: label(v) }));
  }
  return group;
}
