/**
 * Standalone SVG of a report chart. The chart is first laid out as a list of primitive shapes
 * (`layoutChart`), which this module serialises to SVG and `png.ts` rasterises, so both images
 * show the same geometry.
 */

import type { ReportChart } from '../types';
import {
	formatTick,
	formatValue,
	funnelStepText,
	funnelSteps,
	niceScale,
	seriesColour,
} from './format';

export interface ChartSize {
	width?: number;
	height?: number;
}

export const DEFAULT_CHART_WIDTH = 800;
export const DEFAULT_CHART_HEIGHT = 450;

export type TextAnchor = 'start' | 'middle' | 'end';

export type Shape =
	| { kind: 'rect'; x: number; y: number; w: number; h: number; fill: string; tooltip?: string }
	| { kind: 'line'; x1: number; y1: number; x2: number; y2: number; stroke: string }
	| {
			kind: 'text';
			/** Anchor point; `y` is the baseline. */
			x: number;
			y: number;
			text: string;
			size: number;
			fill: string;
			anchor: TextAnchor;
			bold?: boolean;
			/** Renderers shorten the text to fit this width, in pixels. */
			maxWidth?: number;
	  };

export interface ChartLayout {
	width: number;
	height: number;
	background: string;
	shapes: Shape[];
}

const PAD = 16;
const TEXT = '#1f2328';
const MUTED = '#57606a';
const GRID = '#e5e7eb';
const AXIS = '#8c959f';

/** Size options clamped to something sensible (also bounds PNG memory). */
export function chartSize(options?: ChartSize): { width: number; height: number } {
	const clamp = (v: number | undefined, fallback: number) =>
		Math.round(Math.min(4000, Math.max(120, Number.isFinite(v) ? (v as number) : fallback)));
	return {
		width: clamp(options?.width, DEFAULT_CHART_WIDTH),
		height: clamp(options?.height, DEFAULT_CHART_HEIGHT),
	};
}

function hasData(chart: ReportChart): boolean {
	return chart.labels.length > 0 && chart.series.length > 0;
}

/** Title, plus a centred notice when there is nothing to draw. Returns the next free y. */
function layoutTitle(chart: ReportChart, width: number, shapes: Shape[]): number {
	shapes.push({
		kind: 'text',
		x: PAD,
		y: PAD + 14,
		text: chart.title,
		size: 16,
		fill: TEXT,
		anchor: 'start',
		bold: true,
		maxWidth: width - 2 * PAD,
	});
	return PAD + 28;
}

function layoutLegend(chart: ReportChart, top: number, width: number, shapes: Shape[]): number {
	let x = PAD;
	chart.series.forEach((series, i) => {
		// Sized for the PNG bitmap font (12 px per glyph at this size), the wider of the two.
		const textWidth = Math.min(200, series.name.length * 12 + 4);
		if (x + 16 + textWidth > width - PAD && x > PAD) return; // no room: legend is best effort
		shapes.push({ kind: 'rect', x, y: top, w: 12, h: 12, fill: seriesColour(i) });
		shapes.push({
			kind: 'text',
			x: x + 16,
			y: top + 11,
			text: series.name,
			size: 12,
			fill: TEXT,
			anchor: 'start',
			maxWidth: textWidth,
		});
		x += 16 + textWidth + 12;
	});
	return top + 24;
}

function layoutBar(chart: ReportChart, width: number, height: number, shapes: Shape[]): void {
	let top = layoutTitle(chart, width, shapes);
	top = layoutLegend(chart, top, width, shapes);
	const scale = niceScale(chart.series.flatMap((s) => s.values));
	const left = PAD + 56;
	const right = width - PAD;
	const bottom = height - PAD - 20;
	const plotTop = top + 8;
	const yOf = (v: number) =>
		bottom - ((v - scale.min) / (scale.max - scale.min)) * (bottom - plotTop);

	for (const tick of scale.ticks) {
		const y = Math.round(yOf(tick)) + 0.5;
		shapes.push({ kind: 'line', x1: left, y1: y, x2: right, y2: y, stroke: GRID });
		const label = formatTick(tick, chart.valueType);
		shapes.push({
			kind: 'text',
			x: left - 6,
			y: y + 4,
			text: label,
			size: 11,
			fill: MUTED,
			anchor: 'end',
		});
	}

	const slot = (right - left) / chart.labels.length;
	const barWidth = (slot * 0.8) / chart.series.length;
	const zeroY = yOf(0);
	chart.labels.forEach((label, li) => {
		const groupLeft = left + li * slot + slot * 0.1;
		chart.series.forEach((series, si) => {
			const value = Number.isFinite(series.values[li]) ? series.values[li] : 0;
			const valueY = yOf(value);
			shapes.push({
				kind: 'rect',
				x: groupLeft + si * barWidth,
				y: Math.min(valueY, zeroY),
				w: Math.max(1, barWidth - 1),
				h: Math.abs(zeroY - valueY),
				fill: seriesColour(si),
				tooltip: `${label} – ${series.name}: ${formatValue(value, chart.valueType)}`,
			});
		});
		shapes.push({
			kind: 'text',
			x: left + li * slot + slot / 2,
			y: bottom + 16,
			text: label,
			size: 11,
			fill: TEXT,
			anchor: 'middle',
			maxWidth: slot - 4,
		});
	});

	// Axes last so they sit on top of the bars.
	const x0 = Math.round(zeroY) + 0.5;
	shapes.push({ kind: 'line', x1: left, y1: x0, x2: right, y2: x0, stroke: AXIS });
	shapes.push({
		kind: 'line',
		x1: left + 0.5,
		y1: plotTop,
		x2: left + 0.5,
		y2: bottom,
		stroke: AXIS,
	});
}

function layoutFunnel(chart: ReportChart, width: number, height: number, shapes: Shape[]): void {
	const top = layoutTitle(chart, width, shapes) + 8;
	const steps = funnelSteps(chart.labels, chart.series[0].values);
	const labelWidth = Math.round(width * 0.22);
	const valueWidth = Math.round(width * 0.22);
	const barLeft = PAD + labelWidth;
	const barArea = width - 2 * PAD - labelWidth - valueWidth;
	const rowHeight = Math.min(48, (height - top - PAD) / steps.length);
	const barHeight = Math.max(4, rowHeight * 0.75);
	const colour = seriesColour(0);

	steps.forEach((step, i) => {
		const y = top + i * rowHeight;
		const middle = y + barHeight / 2;
		const w = Math.max(2, barArea * step.share);
		shapes.push({
			kind: 'text',
			x: barLeft - 8,
			y: middle + 4,
			text: step.label,
			size: 12,
			fill: TEXT,
			anchor: 'end',
			maxWidth: labelWidth - 12,
		});
		shapes.push({
			kind: 'rect',
			x: barLeft + (barArea - w) / 2,
			y,
			w,
			h: barHeight,
			fill: colour,
			tooltip: `${step.label}: ${funnelStepText(step, chart.valueType)}`,
		});
		shapes.push({
			kind: 'text',
			x: barLeft + barArea + 8,
			y: middle + 4,
			text: funnelStepText(step, chart.valueType),
			size: 12,
			fill: TEXT,
			anchor: 'start',
			maxWidth: valueWidth - 8,
		});
	});
}

/** Lays the chart out as primitive shapes in pixel coordinates. */
export function layoutChart(chart: ReportChart, options?: ChartSize): ChartLayout {
	const { width, height } = chartSize(options);
	const shapes: Shape[] = [];
	if (!hasData(chart)) {
		layoutTitle(chart, width, shapes);
		shapes.push({
			kind: 'text',
			x: width / 2,
			y: height / 2,
			text: 'No data',
			size: 14,
			fill: MUTED,
			anchor: 'middle',
		});
	} else if (chart.kind === 'funnel') {
		layoutFunnel(chart, width, height, shapes);
	} else {
		layoutBar(chart, width, height, shapes);
	}
	return { width, height, background: '#ffffff', shapes };
}

// ---------------------------------------------------------------------------------------------
// SVG serialisation
// ---------------------------------------------------------------------------------------------

export function escapeXml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
}

/** Two decimals are plenty for pixel coordinates and keep the file small. */
function n(value: number): string {
	return String(Math.round(value * 100) / 100);
}

/** Shortens text to roughly fit `maxWidth`, assuming an average glyph of 0.6 em. */
function fitText(text: string, size: number, maxWidth?: number): string {
	if (maxWidth === undefined) return text;
	const maxChars = Math.max(1, Math.floor(maxWidth / (size * 0.6)));
	return text.length <= maxChars ? text : `${text.slice(0, Math.max(1, maxChars - 1))}…`;
}

function shapeToSvg(shape: Shape): string {
	switch (shape.kind) {
		case 'rect': {
			const attrs = `x="${n(shape.x)}" y="${n(shape.y)}" width="${n(shape.w)}" height="${n(shape.h)}" fill="${shape.fill}"`;
			return shape.tooltip === undefined
				? `<rect ${attrs}/>`
				: `<rect ${attrs}><title>${escapeXml(shape.tooltip)}</title></rect>`;
		}
		case 'line':
			return `<line x1="${n(shape.x1)}" y1="${n(shape.y1)}" x2="${n(shape.x2)}" y2="${n(shape.y2)}" stroke="${shape.stroke}" stroke-width="1"/>`;
		case 'text': {
			const weight = shape.bold ? ' font-weight="bold"' : '';
			const text = escapeXml(fitText(shape.text, shape.size, shape.maxWidth));
			return `<text x="${n(shape.x)}" y="${n(shape.y)}" font-size="${shape.size}" fill="${shape.fill}" text-anchor="${shape.anchor}"${weight}>${text}</text>`;
		}
	}
}

export function chartToSvg(chart: ReportChart, options?: ChartSize): string {
	const layout = layoutChart(chart, options);
	const { width, height } = layout;
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Arial, Helvetica, sans-serif" role="img">`,
		`<title>${escapeXml(chart.title)}</title>`,
		`<rect x="0" y="0" width="${width}" height="${height}" fill="${layout.background}"/>`,
		...layout.shapes.map(shapeToSvg),
		'</svg>',
		'',
	].join('\n');
}
