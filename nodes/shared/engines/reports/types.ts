/**
 * The report document every report builder produces and every renderer (CSV, HTML, Markdown,
 * SVG, PNG) consumes. Field names of rows are stable and documented in the README: downstream
 * nodes rely on them.
 */

export type ValueType = 'text' | 'integer' | 'number' | 'currency' | 'percent' | 'hours' | 'days' | 'date';

export interface ReportColumn {
	/** The row field (stable name). */
	key: string;
	label: string;
	type: ValueType;
	/**
	 * The row field holding a link to the record the row is (its `url`): HTML and Markdown link
	 * the cell, CSV adds that field as a column of its own.
	 */
	link?: string;
}

export type CellValue = string | number | null;

export interface ReportTable {
	title: string;
	columns: ReportColumn[];
	rows: Array<Record<string, CellValue>>;
}

export interface ChartSeries {
	name: string;
	values: number[];
}

export interface ReportChart {
	/** `bar`: grouped vertical bars; `funnel`: one series, centred horizontal bars narrowing down. */
	kind: 'bar' | 'funnel';
	title: string;
	labels: string[];
	series: ChartSeries[];
	valueType: ValueType;
}

export interface SummaryFigure {
	key: string;
	label: string;
	value: number | string | null;
	type: ValueType;
	/** Change against the previous period, in the figure's unit (null when not comparable). */
	delta?: number | null;
}

export interface ReportDocument {
	/** e.g. `pipeline`, `funnel`, `winLoss`, `stageVelocity`, `ticketSla`, `teamWorkload`, `workflowEffectiveness`. */
	report: string;
	title: string;
	/**
	 * `start` and `end` are local ISO times in `timeZone` (`end` exclusive: the next period's
	 * start); `lastDay` is the last calendar day included, for readers.
	 */
	period: { label: string; start: string; end: string; lastDay?: string; timeZone: string };
	generatedAt: string;
	/** ISO 4217 code used for currency values, when there are any. */
	currency?: string;
	summary: SummaryFigure[];
	tables: ReportTable[];
	charts: ReportChart[];
	/** Remarks a reader needs (e.g. "stage history not available: stage order used"). */
	notes: string[];
}
