/* eslint-disable */
import { inflateSync } from 'zlib';

import type {
	ReportChart,
	ReportDocument,
	ReportTable,
} from '../../nodes/shared/engines/reports/types';
import {
	chartToPng,
	chartToSvg,
	documentToHtml,
	documentToMarkdown,
	formatDelta,
	formatValue,
	tableToCsv,
} from '../../nodes/shared/engines/reports/render';
import { seriesColour } from '../../nodes/shared/engines/reports/render/format';

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

const table: ReportTable = {
	title: 'Deals by owner',
	columns: [
		{ key: 'owner', label: 'Owner <b>"x"</b>', type: 'text' },
		{ key: 'deals', label: 'Deals', type: 'integer' },
		{ key: 'amount', label: 'Amount', type: 'currency' },
		{ key: 'winRate', label: 'Win rate', type: 'percent' },
		{ key: 'cycle', label: 'Cycle', type: 'days' },
		{ key: 'firstResponse', label: 'First response', type: 'hours' },
	],
	rows: [
		{
			owner: 'Ann <b>Lee</b>',
			deals: 1234,
			amount: 98765.4,
			winRate: 0.12345,
			cycle: 3.25,
			firstResponse: 0.5,
		},
		{
			owner: 'Bob, "the builder"\nline 2',
			deals: 7,
			amount: null,
			winRate: 0,
			cycle: null,
			firstResponse: 12,
		},
		{
			owner: '=HYPERLINK("http://x")',
			deals: -3,
			amount: 0.1,
			winRate: 1,
			cycle: 0,
			firstResponse: 1.05,
		},
		{
			owner: 'Pipe | inside',
			deals: 0,
			amount: -12.5,
			winRate: null,
			cycle: 10,
			firstResponse: null,
		},
		{
			owner: "O'Brien & Sons",
			deals: 1000000,
			amount: 1e6,
			winRate: 0.5,
			cycle: 1,
			firstResponse: 2,
		},
	],
};

const barChart: ReportChart = {
	kind: 'bar',
	title: 'Deals <per> "stage"',
	labels: ['New', 'Qualified', 'Won <b>'],
	series: [
		{ name: 'This period', values: [10, 20, 30] },
		{ name: 'Previous', values: [5, 15, 25] },
	],
	valueType: 'integer',
};

const funnelChart: ReportChart = {
	kind: 'funnel',
	title: 'Funnel',
	labels: ['Leads', 'Qualified', 'Proposal', 'Won'],
	series: [{ name: 'Deals', values: [200, 100, 40, 10] }],
	valueType: 'integer',
};

const doc: ReportDocument = {
	report: 'pipeline',
	title: 'Pipeline <b>report</b>',
	period: {
		label: 'Q1 2024',
		start: '2024-01-01T00:00:00.000Z',
		end: '2024-03-31T23:59:59.999Z',
		timeZone: 'UTC',
	},
	generatedAt: '2024-04-01T08:00:00.000Z',
	currency: 'EUR',
	summary: [
		{ key: 'deals', label: 'Deals "open"', value: 1234, type: 'integer', delta: 3 },
		{ key: 'amount', label: 'Amount', value: 98765.4, type: 'currency', delta: -1200 },
		{ key: 'winRate', label: 'Win rate', value: 0.425, type: 'percent', delta: 0.125 },
		{ key: 'cycle', label: 'Cycle', value: 12, type: 'days', delta: null },
		{ key: 'owners', label: 'Owners', value: 'n/a', type: 'text' },
	],
	tables: [table],
	charts: [barChart, funnelChart],
	notes: ['stage history not available: stage order used', 'note with <tag> & "quotes"'],
};

// ---------------------------------------------------------------------------------------------
// Helpers written independently of the code under test
// ---------------------------------------------------------------------------------------------

/** Minimal RFC 4180 parser: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
	const records: string[][] = [];
	let record: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (c === '"') quoted = false;
			else field += c;
		} else if (c === '"') {
			if (field !== '') throw new Error(`quote inside unquoted field at ${i}`);
			quoted = true;
		} else if (c === ',') {
			record.push(field);
			field = '';
		} else if (c === '\r') {
			if (text[i + 1] !== '\n') throw new Error(`bare CR at ${i}`);
			record.push(field);
			records.push(record);
			record = [];
			field = '';
			i++;
		} else if (c === '\n') throw new Error(`bare LF at ${i}`);
		else field += c;
	}
	if (quoted) throw new Error('unterminated quote');
	if (field !== '' || record.length > 0) {
		record.push(field);
		records.push(record);
	}
	return records;
}

/** Independent bitwise CRC-32 (no table). */
function referenceCrc32(bytes: Uint8Array): number {
	let crc = 0xffffffff;
	for (const byte of bytes) {
		crc ^= byte;
		for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
	}
	return (crc ^ 0xffffffff) >>> 0;
}

interface PngChunk {
	type: string;
	data: Uint8Array;
	crc: number;
	crcInput: Uint8Array;
}

function readChunks(png: Uint8Array): PngChunk[] {
	const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
	const chunks: PngChunk[] = [];
	let pos = 8;
	while (pos < png.length) {
		const length = view.getUint32(pos);
		const type = String.fromCharCode(...png.subarray(pos + 4, pos + 8));
		const data = png.subarray(pos + 8, pos + 8 + length);
		const crc = view.getUint32(pos + 8 + length);
		chunks.push({ type, data, crc, crcInput: png.subarray(pos + 4, pos + 8 + length) });
		pos += 12 + length;
	}
	expect(pos).toBe(png.length);
	return chunks;
}

function decodePng(png: Uint8Array) {
	const chunks = readChunks(png);
	const ihdr = new DataView(chunks[0].data.buffer, chunks[0].data.byteOffset, 13);
	const width = ihdr.getUint32(0);
	const height = ihdr.getUint32(4);
	const idat = Buffer.concat(
		chunks.filter((c) => c.type === 'IDAT').map((c) => Buffer.from(c.data)),
	);
	const raw = inflateSync(idat);
	const pixel = (x: number, y: number): string => {
		const i = y * (1 + width * 3) + 1 + x * 3;
		return (
			'#' + [raw[i], raw[i + 1], raw[i + 2]].map((v) => v.toString(16).padStart(2, '0')).join('')
		);
	};
	return { chunks, width, height, raw, pixel };
}

function unescapedPipes(line: string): number {
	let count = 0;
	for (let i = 0; i < line.length; i++) {
		if (line[i] === '\\') i++;
		else if (line[i] === '|') count++;
	}
	return count;
}

function rectAttrs(svg: string, withTitle: boolean): Array<Record<string, string>> {
	const pattern = withTitle ? /<rect ([^>]*)><title>/g : /<rect ([^>]*)\/>/g;
	return [...svg.matchAll(pattern)].map((m) =>
		Object.fromEntries([...m[1].matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])),
	);
}

// ---------------------------------------------------------------------------------------------
// format
// ---------------------------------------------------------------------------------------------

describe('format', () => {
	it('formats values per type', () => {
		expect(formatValue(1234567, 'integer')).toBe('1,234,567');
		expect(formatValue(-1234.4, 'integer')).toBe('-1,234');
		expect(formatValue(98765.4, 'currency', 'EUR')).toBe('98,765.40 EUR');
		expect(formatValue(98765.4, 'currency')).toBe('98,765.40');
		expect(formatValue(0.12345, 'percent')).toBe('12.3%');
		expect(formatValue(3.25, 'days')).toBe('3.3 d');
		expect(formatValue(0.5, 'hours')).toBe('0.5 h');
		expect(formatValue(1234.5, 'number')).toBe('1,234.5');
		expect(formatValue(1200, 'number')).toBe('1,200');
		expect(formatValue(-0.0001, 'percent')).toBe('0.0%');
		expect(formatValue(null, 'integer')).toBe('—');
		expect(formatValue(Number.NaN, 'integer')).toBe('—');
		expect(formatValue('2024-03-31T23:59:59Z', 'date')).toBe('2024-03-31');
		expect(formatValue('abc', 'text')).toBe('abc');
	});

	it('formats deltas with arrows', () => {
		expect(formatDelta(0.125, 'percent')).toBe('▲ 12.5%');
		expect(formatDelta(-3, 'integer')).toBe('▼ 3');
		expect(formatDelta(null, 'integer')).toBe('—');
		expect(formatDelta(undefined, 'integer')).toBe('—');
		expect(formatDelta(0, 'integer')).toBe('± 0');
		expect(formatDelta(-1200, 'currency', 'EUR')).toBe('▼ 1,200.00 EUR');
	});
});

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

describe('tableToCsv', () => {
	const csv = tableToCsv(table);
	const parsed = parseCsv(csv);

	it('uses CRLF record endings and column keys as header', () => {
		expect(csv.endsWith('\r\n')).toBe(true);
		expect(parsed[0]).toEqual(['owner', 'deals', 'amount', 'winRate', 'cycle', 'firstResponse']);
		expect(parsed).toHaveLength(table.rows.length + 1);
	});

	it('parses back to the rows (raw numbers, null → empty)', () => {
		const expected = table.rows.map((row) =>
			table.columns.map((c) => {
				const v = row[c.key];
				if (v === null) return '';
				if (typeof v === 'number') return String(v);
				return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
			}),
		);
		expect(parsed.slice(1)).toEqual(expected);
		expect(parsed[1][2]).toBe('98765.4');
		expect(parsed[5][1]).toBe('1000000');
		expect(parsed[3][1]).toBe('-3'); // negative numbers are not formula-guarded
	});

	it('quotes fields with commas, quotes and newlines', () => {
		expect(csv).toContain('"Bob, ""the builder""\nline 2"');
		expect(parsed[2][0]).toBe('Bob, "the builder"\nline 2');
	});

	it('guards text cells against formula injection', () => {
		const guarded = tableToCsv({
			title: 't',
			columns: [{ key: 'v', label: 'V', type: 'text' }],
			rows: ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', 'safe', "'quoted"].map((v) => ({ v })),
		});
		expect(
			parseCsv(guarded)
				.slice(1)
				.map((r) => r[0]),
		).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", 'safe', "'quoted"]);
		expect(parsed[3][0]).toBe(`'=HYPERLINK("http://x")`);
	});
});

// ---------------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------------

describe('documentToMarkdown', () => {
	const md = documentToMarkdown(doc);
	const lines = md.split('\n');

	it('has title, period, summary with deltas and notes', () => {
		expect(lines[0]).toBe('# Pipeline <b>report</b>');
		expect(md).toContain('**Period:** Q1 2024 · 2024-01-01 – 2024-03-31 (UTC)');
		expect(md).toContain('- **Deals "open":** 1,234 (▲ 3)');
		expect(md).toContain('- **Amount:** 98,765.40 EUR (▼ 1,200.00 EUR)');
		expect(md).toContain('- **Win rate:** 42.5% (▲ 12.5%)');
		expect(md).toContain('- **Cycle:** 12.0 d (—)');
		expect(md).toContain('- **Owners:** n/a\n');
		expect(md.indexOf('## Notes')).toBeGreaterThan(md.indexOf('## Deals by owner'));
		expect(md).toContain('- stage history not available: stage order used');
	});

	it('renders a well-formed GFM table', () => {
		const tableLines = lines.filter((l) => l.startsWith('|'));
		expect(tableLines).toHaveLength(table.rows.length + 2);
		for (const line of tableLines) {
			expect(unescapedPipes(line)).toBe(table.columns.length + 1);
			expect(line.endsWith('|')).toBe(true);
		}
		expect(tableLines[1]).toBe('| --- | ---: | ---: | ---: | ---: | ---: |');
		expect(tableLines[0]).toContain('| Owner <b>"x"</b> | Deals | Amount |');
	});

	it('escapes pipes and newlines and formats numbers', () => {
		expect(md).toContain('| Pipe \\| inside | 0 | -12.50 EUR | — | 10.0 d | — |');
		expect(md).toContain('| Bob, "the builder"<br>line 2 | 7 | — | 0.0% | — | 12.0 h |');
		expect(md).toContain('| Ann <b>Lee</b> | 1,234 | 98,765.40 EUR | 12.3% | 3.3 d | 0.5 h |');
		expect(md).toContain('| 1,000,000 | 1,000,000.00 EUR | 50.0% |');
	});

	it('keeps a backslash before a pipe from un-escaping it', () => {
		const out = documentToMarkdown({
			...doc,
			summary: [],
			notes: [],
			tables: [
				{ title: 't', columns: [{ key: 'a', label: 'A', type: 'text' }], rows: [{ a: 'x\\|y' }] },
			],
		});
		const row = out.split('\n').find((l) => l.startsWith('| x'))!;
		expect(row).toBe('| x\\\\\\|y |');
		expect(unescapedPipes(row)).toBe(2);
	});
});

// ---------------------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------------------

describe('documentToHtml', () => {
	const html = documentToHtml(doc);

	it('is a complete, email-safe document', () => {
		expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
		expect(html).toContain('<meta charset="utf-8">');
		expect(html).toContain('<title>Pipeline &lt;b&gt;report&lt;/b&gt;</title>');
		expect(html).toContain('width="640"');
		expect(html).not.toMatch(/<script/i);
		expect(html).not.toMatch(/<svg/i);
		expect(html).not.toMatch(/<style/i);
		expect(html).not.toMatch(/class=/i);
		expect(html).not.toMatch(/<link|<img|src=|url\(/i);
		expect(html).toMatch(/style="[^"]+"/);
		expect(html.trim().endsWith('</html>')).toBe(true);
	});

	it('escapes all text', () => {
		expect(html).not.toContain('<b>');
		expect(html).toContain('Owner &lt;b&gt;&quot;x&quot;&lt;/b&gt;');
		expect(html).toContain('Ann &lt;b&gt;Lee&lt;/b&gt;');
		expect(html).toContain('O&#39;Brien &amp; Sons');
		expect(html).toContain('Deals &quot;open&quot;');
		expect(html).toContain('Won &lt;b&gt;');
		expect(html).toContain('note with &lt;tag&gt; &amp; &quot;quotes&quot;');
		// no raw quote or apostrophe outside attribute syntax: strip tags, then look
		const text = html.replace(/<[^>]*>/g, '');
		expect(text).not.toMatch(/["'<>]/);
	});

	it('contains every table cell formatted, numbers right-aligned', () => {
		const esc = (s: string) =>
			s
				.replace(/&/g, '&amp;')
				.replace(/</g, '&lt;')
				.replace(/>/g, '&gt;')
				.replace(/"/g, '&quot;')
				.replace(/'/g, '&#39;');
		for (const row of table.rows) {
			for (const c of table.columns) {
				const text = esc(formatValue(row[c.key], c.type, 'EUR'));
				const align = c.type === 'text' ? 'left' : 'right';
				expect(html).toContain(`<td align="${align}" style="`);
				expect(html).toMatch(
					new RegExp(
						`text-align:${align};[^"]*">${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</td>`,
					),
				);
			}
		}
		expect(html).toContain('>98,765.40 EUR</td>');
		expect(html).toContain('>1,000,000</td>');
	});

	it('has a header row and zebra rows', () => {
		expect(html.match(/<th /g)).toHaveLength(table.columns.length);
		const rowColours = [...html.matchAll(/<tr bgcolor="(#[0-9a-f]+)"/g)].map((m) => m[1]);
		expect(rowColours).toHaveLength(table.rows.length);
		expect(new Set(rowColours).size).toBe(2);
		expect(rowColours[0]).not.toBe(rowColours[1]);
	});

	it('draws the bar chart with percentage-width coloured cells and a legend', () => {
		// 3 labels × 2 series bars, niceScale max for 30 is 30 → 30 is a 100% bar
		const bars = [...html.matchAll(/<td width="([\d.]+)%" bgcolor="(#[0-9a-f]{6})"/g)];
		expect(bars.length).toBe(6);
		expect(bars.map((b) => b[2])).toEqual([0, 1, 0, 1, 0, 1].map((i) => seriesColour(i)));
		expect(bars[4][1]).toBe('100');
		expect(bars[0][1]).toBe('33.3');
		expect(html).toContain('This period');
		expect(html).toContain('Previous');
	});

	it('draws the funnel as centred, narrowing bars with value and conversion', () => {
		const widths = [...html.matchAll(/<table [^>]*width="([\d.]+)%" align="center"/g)].map((m) =>
			Number(m[1]),
		);
		expect(widths).toEqual([100, 50, 20, 5]);
		expect(html).toContain('>200</td>');
		expect(html).toContain('>100 · 50.0%</td>');
		expect(html).toContain('>40 · 40.0%</td>');
		expect(html).toContain('>10 · 25.0%</td>');
	});
});

// ---------------------------------------------------------------------------------------------
// SVG
// ---------------------------------------------------------------------------------------------

function expectBalanced(svg: string): void {
	// Every opening (non-self-closing) tag must be closed in order.
	const stack: string[] = [];
	for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)([^>]*?)(\/?)>/g)) {
		const [, closing, name, , selfClosing] = m;
		if (selfClosing) continue;
		if (closing) expect(stack.pop()).toBe(name);
		else stack.push(name);
	}
	expect(stack).toEqual([]);
}

describe('chartToSvg', () => {
	it('is a standalone, balanced SVG with a rect per bar', () => {
		const svg = chartToSvg(barChart);
		expect(svg.startsWith('<svg ')).toBe(true);
		expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
		expect(svg).toContain('viewBox="0 0 800 450"');
		expect(svg).toContain('width="800" height="450"');
		expectBalanced(svg);
		const bars = rectAttrs(svg, true);
		expect(bars).toHaveLength(6);
		expect(bars.map((b) => b.fill)).toEqual([0, 1, 0, 1, 0, 1].map((i) => seriesColour(i)));
		// taller value → taller bar
		expect(Number(bars[4].height)).toBeGreaterThan(Number(bars[0].height));
		// legend swatches
		expect(rectAttrs(svg, false).filter((r) => r.width === '12')).toHaveLength(2);
		expect(svg).toMatch(/<line /);
	});

	it('escapes text', () => {
		const svg = chartToSvg(barChart);
		expect(svg).not.toContain('<b>');
		expect(svg).toContain('Deals &lt;per&gt; &quot;stage&quot;');
		expect(svg).toContain('Won &lt;b&gt;');
	});

	it('honours the requested size and draws the funnel', () => {
		const svg = chartToSvg(funnelChart, { width: 400, height: 300 });
		expect(svg).toContain('viewBox="0 0 400 300"');
		expectBalanced(svg);
		const bars = rectAttrs(svg, true);
		expect(bars).toHaveLength(4);
		const widths = bars.map((b) => Number(b.width));
		expect(widths[0]).toBeGreaterThan(widths[1]);
		expect(widths[1]).toBeGreaterThan(widths[2]);
		// centred: same midpoint
		const mids = bars.map((b) => Number(b.x) + Number(b.width) / 2);
		for (const m of mids) expect(m).toBeCloseTo(mids[0], 1);
		expect(svg).toContain('50.0%');
	});

	it('handles an empty chart', () => {
		const svg = chartToSvg({ ...barChart, labels: [], series: [] });
		expectBalanced(svg);
		expect(svg).toContain('No data');
	});
});

// ---------------------------------------------------------------------------------------------
// PNG
// ---------------------------------------------------------------------------------------------

describe('chartToPng', () => {
	it('writes a valid PNG with correct chunk CRCs', () => {
		const png = chartToPng(barChart, { width: 640, height: 360 });
		expect(png).toBeInstanceOf(Uint8Array);
		expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
		const { chunks, width, height, raw } = decodePng(png);
		expect(chunks[0].type).toBe('IHDR');
		expect(chunks[chunks.length - 1].type).toBe('IEND');
		expect(chunks[chunks.length - 1].data.length).toBe(0);
		expect([width, height]).toEqual([640, 360]);
		expect(Array.from(chunks[0].data.subarray(8))).toEqual([8, 2, 0, 0, 0]);
		for (const chunk of chunks) expect(chunk.crc).toBe(referenceCrc32(chunk.crcInput));
		expect(raw.length).toBe(height * (1 + width * 3));
		for (let y = 0; y < height; y++) expect(raw[y * (1 + width * 3)]).toBe(0);
	});

	it('paints bars in the series colours where the SVG layout puts them', () => {
		const png = chartToPng(barChart);
		const { width, height, pixel } = decodePng(png);
		expect([width, height]).toEqual([800, 450]);
		const bars = rectAttrs(chartToSvg(barChart), true);
		bars.forEach((bar, i) => {
			const cx = Math.floor(Number(bar.x) + Number(bar.width) / 2);
			const cy = Math.floor(Number(bar.y) + Number(bar.height) / 2);
			expect(pixel(cx, cy)).toBe(seriesColour(i % 2));
		});
		expect(pixel(2, 2)).toBe('#ffffff');
	});

	it('draws text pixels (title) and the funnel', () => {
		const { pixel, width } = decodePng(chartToPng(funnelChart));
		// the title row band contains dark pixels from the bitmap font
		let dark = 0;
		for (let y = 16; y < 32; y++)
			for (let x = 16; x < 200; x++) if (pixel(x, y) === '#1f2328') dark++;
		expect(dark).toBeGreaterThan(20);
		const bars = rectAttrs(chartToSvg(funnelChart), true);
		const first = bars[0];
		expect(
			pixel(Math.floor(width / 2), Math.floor(Number(first.y) + Number(first.height) / 2)),
		).toBe(seriesColour(0));
	});

	it('splits large images into several stored blocks that still inflate', () => {
		// 1200×700 RGB = 2.5 MB raw → ~39 stored blocks of at most 65,535 bytes
		const { raw, width, height } = decodePng(chartToPng(barChart, { width: 1200, height: 700 }));
		expect(raw.length).toBe(height * (1 + width * 3));
	});
});
