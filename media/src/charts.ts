// ROC and PR curves and the residual plot, drawn by uPlot (canvas; it evaluates no strings, so it
// runs under the panel's CSP). Colours come from the theme; the operating point is drawn by a hook.
import uPlot from 'uplot';
import { themeColor } from './dom';

export interface Point {
  x: number;
  y: number;
}

function axis(label: string): uPlot.Axis {
  const foreground = themeColor('--vscode-editor-foreground', '#ccc');
  const grid = themeColor('--vscode-editorIndentGuide-background1', '') || 'rgba(128,128,128,0.25)';
  return {
    label,
    stroke: foreground,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 },
    font: `11px ${themeColor('--vscode-font-family', 'sans-serif')}`,
    labelFont: `12px ${themeColor('--vscode-font-family', 'sans-serif')}`,
  };
}

/** A hook that draws one marked point (the operating point) on top of the plot. */
function markerPlugin(marker: () => Point | null): uPlot.Plugin {
  return {
    hooks: {
      draw: (u: uPlot) => {
        const point = marker();
        if (!point || !Number.isFinite(point.x) || !Number.isFinite(point.y)) return;
        const ctx = u.ctx;
        const x = u.valToPos(point.x, 'x', true);
        const y = u.valToPos(point.y, 'y', true);
        const ratio = uPlot.pxRatio;
        ctx.save();
        ctx.beginPath();
        ctx.arc(x, y, 6 * ratio, 0, 2 * Math.PI);
        ctx.fillStyle = themeColor('--vscode-charts-orange', '#d18616');
        ctx.fill();
        ctx.lineWidth = 2 * ratio;
        ctx.strokeStyle = themeColor('--vscode-editor-background', '#1e1e1e');
        ctx.stroke();
        ctx.restore();
      },
    },
  };
}

export interface CurveChart {
  element: HTMLElement;
  /** Redraws the operating point. */
  refresh(): void;
  destroy(): void;
}

/** A curve in the unit square (x ascending), with an optional marked point and a diagonal reference. */
export function curveChart(options: {
  title: string;
  xLabel: string;
  yLabel: string;
  xs: number[];
  ys: number[];
  width: number;
  diagonal?: boolean;
  marker: () => Point | null;
}): CurveChart {
  const data: uPlot.AlignedData = options.diagonal ? [options.xs, options.ys, options.xs] : [options.xs, options.ys];
  const series: uPlot.Series[] = [
    { label: options.xLabel },
    { label: options.yLabel, stroke: themeColor('--vscode-charts-blue', '#3794ff'), width: 2, points: { show: false } },
  ];
  if (options.diagonal) series.push(chanceSeries());
  return unitSquarePlot(options, 'chart', series, data, { show: false }, [markerPlugin(options.marker)]);
}

function chanceSeries(): uPlot.Series {
  return { label: 'chance', stroke: themeColor('--vscode-descriptionForeground', '#888'), width: 1, dash: [4, 4], points: { show: false } };
}

/** A plot of the unit square (x and y from 0 to 1), drag to zoom. */
function unitSquarePlot(options: { title: string; xLabel: string; yLabel: string; width: number }, className: string, series: uPlot.Series[], data: uPlot.AlignedData, legend: uPlot.Legend, plugins: uPlot.Plugin[] = []): CurveChart {
  const element = document.createElement('div');
  element.className = className;
  const plot = new uPlot({
    title: options.title,
    width: options.width,
    height: Math.round(options.width * 0.8),
    scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1.02] } },
    axes: [axis(options.xLabel), axis(options.yLabel)],
    series,
    legend,
    cursor: { drag: { x: true, y: true, uni: 20 } },
    plugins,
  }, data, element);
  return { element, refresh: () => plot.redraw(false), destroy: () => plot.destroy() };
}

/** Residuals (true − predicted) against the prediction, with the zero line. */
export function residualChart(predicted: number[], truth: number[], width: number): CurveChart {
  const element = document.createElement('div');
  element.className = 'chart';
  const order = predicted.map((_, i) => i).sort((a, b) => predicted[a] - predicted[b]);
  const xs = order.map((i) => predicted[i]);
  const residuals = order.map((i) => truth[i] - predicted[i]);
  const zero = xs.map(() => 0);
  const plot = new uPlot({
    title: 'Residuals (true − predicted) against the prediction',
    width,
    height: Math.round(width * 0.6),
    scales: { x: { time: false } },
    axes: [axis('predicted'), axis('residual')],
    series: [
      { label: 'predicted' },
      { label: 'residual', stroke: themeColor('--vscode-charts-blue', '#3794ff'), paths: () => null, points: { show: true, size: 4, fill: themeColor('--vscode-charts-blue', '#3794ff') } },
      { label: 'zero', stroke: themeColor('--vscode-descriptionForeground', '#888'), width: 1, dash: [4, 4], points: { show: false } },
    ],
    legend: { show: false },
    cursor: { drag: { x: true, y: true, uni: 20 } },
  }, [xs, residuals, zero], element);
  return { element, refresh: () => plot.redraw(false), destroy: () => plot.destroy() };
}

export interface OverlaySeries {
  label: string;
  xs: number[];
  ys: number[];
  color: string;
}

/**
 * Several curves in the unit square on one plot (e.g. the ROC curves of two compared files). Their
 * x values differ, so the points are merged on one ascending x axis, each series null where another
 * has a point; spanGaps joins each curve through the others' points. The sort is stable, so a
 * vertical run of points (equal x) keeps its order within its curve.
 */
export function overlayChart(options: { title: string; xLabel: string; yLabel: string; series: OverlaySeries[]; width: number; diagonal?: boolean }): CurveChart {
  const points: { x: number; series: number; y: number }[] = [];
  options.series.forEach((curve, k) => curve.xs.forEach((x, i) => points.push({ x, series: k, y: curve.ys[i] })));
  points.sort((a, b) => a.x - b.x);
  const xs = points.map((p) => p.x);
  const columns = options.series.map((_, k) => points.map((p) => (p.series === k ? p.y : null)));
  const data = [xs, ...columns] as unknown as uPlot.AlignedData;
  const series: uPlot.Series[] = [
    { label: options.xLabel },
    ...options.series.map((curve) => ({ label: curve.label, stroke: curve.color, width: 2, spanGaps: true, points: { show: false } })),
  ];
  if (options.diagonal) {
    (data as unknown as (number | null)[][]).push(xs);
    series.push(chanceSeries());
  }
  return unitSquarePlot(options, 'chart overlay', series, data, { show: true, live: false });
}
