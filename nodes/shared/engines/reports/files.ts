import type { ReportDocument } from './types';
import { chartToPng, chartToSvg, documentToHtml, documentToMarkdown, tableToCsv } from './render';

export type FileFormat = 'csv' | 'html' | 'markdown' | 'svg' | 'png';

export interface ReportFile {
	/** Binary property name: csv, html, markdown, chart (svg), chartPng. */
	property: string;
	fileName: string;
	mimeType: string;
	data: Uint8Array;
}

const encode = (text: string) => new TextEncoder().encode(text);

/** The files a report is sent as: named after the report and the period. */
export function reportFiles(doc: ReportDocument, formats: FileFormat[]): ReportFile[] {
	const base = `${doc.report}-${doc.period.start.slice(0, 10)}`;
	const files: ReportFile[] = [];
	for (const format of formats) {
		if (format === 'csv' && doc.tables[0]) {
			files.push({ property: 'csv', fileName: `${base}.csv`, mimeType: 'text/csv', data: encode(tableToCsv(doc.tables[0])) });
		} else if (format === 'html') {
			files.push({ property: 'html', fileName: `${base}.html`, mimeType: 'text/html', data: encode(documentToHtml(doc)) });
		} else if (format === 'markdown') {
			files.push({ property: 'markdown', fileName: `${base}.md`, mimeType: 'text/markdown', data: encode(documentToMarkdown(doc)) });
		} else if (format === 'svg' && doc.charts[0]) {
			files.push({ property: 'chart', fileName: `${base}.svg`, mimeType: 'image/svg+xml', data: encode(chartToSvg(doc.charts[0])) });
		} else if (format === 'png' && doc.charts[0]) {
			files.push({ property: 'chartPng', fileName: `${base}.png`, mimeType: 'image/png', data: chartToPng(doc.charts[0]) });
		}
	}
	return files;
}
