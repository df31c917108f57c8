/**
 * PNG of a report chart with no dependencies: the layout from `svg.ts` is rasterised into an
 * RGB buffer (rectangles, lines, a 5×7 bitmap font) and encoded as a PNG whose zlib stream uses
 * "stored" (uncompressed) deflate blocks. Files are therefore larger than usual (~1 MB at
 * 800×450) but need neither `zlib` nor a compressor.
 */

import type { ReportChart } from '../types';
import { layoutChart } from './svg';
import type { ChartLayout, ChartSize, Shape } from './svg';

type Rgb = [number, number, number];

// ---------------------------------------------------------------------------------------------
// Raster
// ---------------------------------------------------------------------------------------------

class Raster {
	readonly pixels: Uint8Array;

	constructor(
		readonly width: number,
		readonly height: number,
		background: Rgb,
	) {
		this.pixels = new Uint8Array(width * height * 3);
		this.fillRect(0, 0, width, height, background);
	}

	/** Fills [x0, x1) × [y0, y1), clipped to the image; coordinates are rounded. */
	fillRect(x: number, y: number, w: number, h: number, [r, g, b]: Rgb): void {
		const x0 = Math.max(0, Math.round(x));
		const y0 = Math.max(0, Math.round(y));
		const x1 = Math.min(this.width, Math.round(x + w));
		const y1 = Math.min(this.height, Math.round(y + h));
		for (let py = y0; py < y1; py++) {
			let i = (py * this.width + x0) * 3;
			for (let px = x0; px < x1; px++) {
				this.pixels[i++] = r;
				this.pixels[i++] = g;
				this.pixels[i++] = b;
			}
		}
	}

	/** 1-pixel line (Bresenham); the layout only uses horizontal and vertical ones. */
	line(x1: number, y1: number, x2: number, y2: number, colour: Rgb): void {
		let x = Math.floor(x1);
		let y = Math.floor(y1);
		const xEnd = Math.floor(x2);
		const yEnd = Math.floor(y2);
		const dx = Math.abs(xEnd - x);
		const dy = -Math.abs(yEnd - y);
		const sx = x < xEnd ? 1 : -1;
		const sy = y < yEnd ? 1 : -1;
		let err = dx + dy;
		for (;;) {
			this.fillRect(x, y, 1, 1, colour);
			if (x === xEnd && y === yEnd) return;
			const e2 = 2 * err;
			if (e2 >= dy) {
				err += dy;
				x += sx;
			}
			if (e2 <= dx) {
				err += dx;
				y += sy;
			}
		}
	}
}

export function parseHexColour(hex: string): Rgb {
	const match = /^#?([0-9a-f]{6})$/i.exec(hex);
	if (!match) return [0, 0, 0];
	const v = parseInt(match[1], 16);
	return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

// ---------------------------------------------------------------------------------------------
// 5×7 bitmap font: 7 rows per glyph, 5 bits per row, most significant bit = leftmost pixel.
// Lowercase is drawn as uppercase; unknown characters as `?`.
// ---------------------------------------------------------------------------------------------

const GLYPHS: Record<string, number[]> = {
	' ': [0, 0, 0, 0, 0, 0, 0],
	'0': [0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e],
	'1': [0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e],
	'2': [0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f],
	'3': [0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e],
	'4': [0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02],
	'5': [0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e],
	'6': [0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e],
	'7': [0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
	'8': [0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e],
	'9': [0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c],
	A: [0x0e, 0x11, 0x11, 0x11, 0x1f, 0x11, 0x11],
	B: [0x1e, 0x11, 0x11, 0x1e, 0x11, 0x11, 0x1e],
	C: [0x0e, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0e],
	D: [0x1c, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1c],
	E: [0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x1f],
	F: [0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x10],
	G: [0x0e, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0f],
	H: [0x11, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11],
	I: [0x0e, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e],
	J: [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0c],
	K: [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
	L: [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1f],
	M: [0x11, 0x1b, 0x15, 0x15, 0x11, 0x11, 0x11],
	N: [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
	O: [0x0e, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e],
	P: [0x1e, 0x11, 0x11, 0x1e, 0x10, 0x10, 0x10],
	Q: [0x0e, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0d],
	R: [0x1e, 0x11, 0x11, 0x1e, 0x14, 0x12, 0x11],
	S: [0x0f, 0x10, 0x10, 0x0e, 0x01, 0x01, 0x1e],
	T: [0x1f, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
	U: [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e],
	V: [0x11, 0x11, 0x11, 0x11, 0x11, 0x0a, 0x04],
	W: [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0a],
	X: [0x11, 0x11, 0x0a, 0x04, 0x0a, 0x11, 0x11],
	Y: [0x11, 0x11, 0x11, 0x0a, 0x04, 0x04, 0x04],
	Z: [0x1f, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1f],
	'.': [0, 0, 0, 0, 0, 0x0c, 0x0c],
	',': [0, 0, 0, 0, 0x0c, 0x04, 0x08],
	'%': [0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03],
	'-': [0, 0, 0, 0x1f, 0, 0, 0],
	'+': [0, 0x04, 0x04, 0x1f, 0x04, 0x04, 0],
	'=': [0, 0, 0x1f, 0, 0x1f, 0, 0],
	':': [0, 0x0c, 0x0c, 0, 0x0c, 0x0c, 0],
	'/': [0, 0x01, 0x02, 0x04, 0x08, 0x10, 0],
	'(': [0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02],
	')': [0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08],
	'<': [0x02, 0x04, 0x08, 0x10, 0x08, 0x04, 0x02],
	'>': [0x08, 0x04, 0x02, 0x01, 0x02, 0x04, 0x08],
	'!': [0x04, 0x04, 0x04, 0x04, 0x04, 0, 0x04],
	'?': [0x0e, 0x11, 0x01, 0x02, 0x04, 0, 0x04],
	"'": [0x04, 0x04, 0x08, 0, 0, 0, 0],
	'"': [0x0a, 0x0a, 0, 0, 0, 0, 0],
	'&': [0x0c, 0x12, 0x14, 0x08, 0x15, 0x12, 0x0d],
	'#': [0x0a, 0x0a, 0x1f, 0x0a, 0x1f, 0x0a, 0x0a],
	_: [0, 0, 0, 0, 0, 0, 0x1f],
	'*': [0, 0x04, 0x15, 0x0e, 0x15, 0x04, 0],
	$: [0x04, 0x0f, 0x14, 0x0e, 0x05, 0x1e, 0x04],
	'€': [0x06, 0x09, 0x1c, 0x08, 0x1c, 0x09, 0x06],
	'£': [0x06, 0x09, 0x08, 0x1c, 0x08, 0x08, 0x1f],
	'·': [0, 0, 0, 0x04, 0, 0, 0],
	'▲': [0, 0, 0x04, 0x0e, 0x1f, 0, 0],
	'▼': [0, 0, 0x1f, 0x0e, 0x04, 0, 0],
};

/** Typographic characters the font lacks, mapped to close ASCII. */
const ALIASES: Record<string, string> = { '–': '-', '—': '-', '…': '.', '±': '+', '’': "'" };

const GLYPH_W = 5;
const GLYPH_H = 7;

function glyphFor(char: string): number[] {
	const mapped = ALIASES[char] ?? char.toUpperCase();
	return GLYPHS[mapped] ?? GLYPHS['?'];
}

/** Integer pixel scale so a glyph's cap height roughly matches the layout's font size. */
function fontScale(size: number): number {
	return Math.max(1, Math.round(size / 8));
}

function textWidth(length: number, scale: number): number {
	return length > 0 ? (length * (GLYPH_W + 1) - 1) * scale : 0;
}

function fitBitmapText(text: string, scale: number, maxWidth?: number): string {
	const chars = Array.from(text);
	if (maxWidth === undefined || textWidth(chars.length, scale) <= maxWidth) return text;
	const fit = Math.max(1, Math.floor((maxWidth / scale + 1) / (GLYPH_W + 1)));
	return `${chars.slice(0, Math.max(1, fit - 2)).join('')}..`;
}

function drawText(raster: Raster, shape: Extract<Shape, { kind: 'text' }>): void {
	const scale = fontScale(shape.size);
	const chars = Array.from(fitBitmapText(shape.text, scale, shape.maxWidth));
	const width = textWidth(chars.length, scale);
	let x =
		shape.anchor === 'middle'
			? shape.x - width / 2
			: shape.anchor === 'end'
				? shape.x - width
				: shape.x;
	x = Math.round(x);
	const top = Math.round(shape.y) - GLYPH_H * scale;
	const colour = parseHexColour(shape.fill);
	for (const char of chars) {
		const rows = glyphFor(char);
		for (let row = 0; row < GLYPH_H; row++) {
			for (let col = 0; col < GLYPH_W; col++) {
				if (rows[row] & (0x10 >> col)) {
					raster.fillRect(x + col * scale, top + row * scale, scale, scale, colour);
				}
			}
		}
		x += (GLYPH_W + 1) * scale;
	}
}

function rasterise(layout: ChartLayout): Raster {
	const raster = new Raster(layout.width, layout.height, parseHexColour(layout.background));
	for (const shape of layout.shapes) {
		if (shape.kind === 'rect')
			raster.fillRect(shape.x, shape.y, shape.w, shape.h, parseHexColour(shape.fill));
		else if (shape.kind === 'line')
			raster.line(shape.x1, shape.y1, shape.x2, shape.y2, parseHexColour(shape.stroke));
		else drawText(raster, shape);
	}
	return raster;
}

// ---------------------------------------------------------------------------------------------
// PNG encoding
// ---------------------------------------------------------------------------------------------

const CRC_TABLE: Uint32Array = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

/** CRC-32 (ISO-HDLC, as used by PNG), over the given byte arrays in sequence. */
export function crc32(...parts: Uint8Array[]): number {
	let crc = 0xffffffff;
	for (const bytes of parts) {
		for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
	}
	return (crc ^ 0xffffffff) >>> 0;
}

export function adler32(bytes: Uint8Array): number {
	let a = 1;
	let b = 0;
	// 5552 is the largest run before b can overflow 2^32 (zlib's NMAX), so reduce per run.
	for (let start = 0; start < bytes.length; start += 5552) {
		const end = Math.min(bytes.length, start + 5552);
		for (let i = start; i < end; i++) {
			a += bytes[i];
			b += a;
		}
		a %= 65521;
		b %= 65521;
	}
	return ((b << 16) | a) >>> 0;
}

function writeUint32(target: Uint8Array, offset: number, value: number): void {
	target[offset] = (value >>> 24) & 255;
	target[offset + 1] = (value >>> 16) & 255;
	target[offset + 2] = (value >>> 8) & 255;
	target[offset + 3] = value & 255;
}

function ascii(text: string): Uint8Array {
	return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** length(4) · type(4) · data · CRC-32 of type+data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
	const typeBytes = ascii(type);
	const out = new Uint8Array(12 + data.length);
	writeUint32(out, 0, data.length);
	out.set(typeBytes, 4);
	out.set(data, 8);
	writeUint32(out, 8 + data.length, crc32(typeBytes, data));
	return out;
}

const MAX_STORED_BLOCK = 65535;

/** zlib stream (RFC 1950) of stored deflate blocks (RFC 1951 §3.2.4): no compression. */
export function zlibStored(data: Uint8Array): Uint8Array {
	const blocks = Math.max(1, Math.ceil(data.length / MAX_STORED_BLOCK));
	const out = new Uint8Array(2 + blocks * 5 + data.length + 4);
	out[0] = 0x78; // CMF: deflate, 32K window
	out[1] = 0x01; // FLG: no dictionary, check bits make 0x7801 divisible by 31
	let pos = 2;
	for (let i = 0; i < blocks; i++) {
		const start = i * MAX_STORED_BLOCK;
		const length = Math.min(MAX_STORED_BLOCK, data.length - start);
		out[pos++] = i === blocks - 1 ? 1 : 0; // BFINAL bit, BTYPE 00 (stored)
		out[pos++] = length & 255; // LEN and NLEN are little-endian
		out[pos++] = length >>> 8;
		out[pos++] = ~length & 255;
		out[pos++] = (~length >>> 8) & 255;
		out.set(data.subarray(start, start + length), pos);
		pos += length;
	}
	writeUint32(out, pos, adler32(data));
	return out;
}

/** Scanlines with filter type 0 (None): one 0 byte before each row of RGB bytes. */
function scanlines(raster: Raster): Uint8Array {
	const stride = raster.width * 3;
	const out = new Uint8Array(raster.height * (stride + 1));
	for (let y = 0; y < raster.height; y++) {
		out.set(raster.pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
	}
	return out;
}

const PNG_SIGNATURE = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);

function encodePng(raster: Raster): Uint8Array {
	const header = new Uint8Array(13);
	writeUint32(header, 0, raster.width);
	writeUint32(header, 4, raster.height);
	header[8] = 8; // bit depth
	header[9] = 2; // colour type: truecolour RGB
	// compression, filter and interlace methods stay 0
	const parts = [
		PNG_SIGNATURE,
		chunk('IHDR', header),
		chunk('IDAT', zlibStored(scanlines(raster))),
		chunk('IEND', new Uint8Array(0)),
	];
	const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.length;
	}
	return out;
}

/** PNG bytes of the chart (default 800×450; size clamped to 120..4000 px per side). */
export function chartToPng(chart: ReportChart, options?: ChartSize): Uint8Array {
	return encodePng(rasterise(layoutChart(chart, options)));
}
