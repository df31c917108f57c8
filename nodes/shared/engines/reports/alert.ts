import { CrmInputError } from '../../transport/errors';
import type { ReportDocument, SummaryFigure } from './types';

export type AlertOperator = 'gt' | 'gte' | 'lt' | 'lte';

/** Alert mode: the report is sent only when a summary figure crosses a threshold. */
export interface AlertRule {
	/** Summary figure key, e.g. `resolutionBreachRate`, `maxDaysSinceActivity`. */
	figure: string;
	operator: AlertOperator;
	/** In the figure's unit; percentages as percent (10 = 10 %). */
	threshold: number;
}

export interface AlertOutcome {
	triggered: boolean;
	figure: string;
	label: string;
	value: number | null;
	operator: AlertOperator;
	/** The threshold as given (percent for percentages). */
	threshold: number;
	/** A sentence for the message, e.g. "Resolution breached is 25.0% (> 10%)". */
	message: string;
}

const SYMBOL: Record<AlertOperator, string> = { gt: '>', gte: '≥', lt: '<', lte: '≤' };

const crosses = (value: number, operator: AlertOperator, threshold: number) =>
	operator === 'gt' ? value > threshold : operator === 'gte' ? value >= threshold : operator === 'lt' ? value < threshold : value <= threshold;

/**
 * Whether the report's figure crosses the threshold. A figure without a value (e.g. a rate of
 * nothing) never triggers. A percentage figure is compared in percent, as the user typed it.
 */
export function evaluateAlert(doc: ReportDocument, rule: AlertRule): AlertOutcome {
	const figure = doc.summary.find((f) => f.key === rule.figure);
	if (!figure) {
		throw new CrmInputError(
			`The ${doc.title} report has no summary figure "${rule.figure}" to alert on`,
			'alertFigure',
			`Figures of this report: ${doc.summary.map((f) => f.key).join(', ')}.`,
		);
	}
	if (!Number.isFinite(rule.threshold)) {
		throw new CrmInputError(`The alert threshold "${String(rule.threshold)}" is not a number`, 'alertThreshold', 'Give a number, e.g. 10 for 10 % or 14 for 14 days.');
	}
	if (!(rule.operator in SYMBOL)) {
		throw new CrmInputError(`"${String(rule.operator)}" is not an alert comparison`, 'alertOperator', 'Use gt, gte, lt or lte.');
	}
	const value = valueOf(figure);
	const shown = figure.type === 'percent' ? `${rule.threshold}%` : String(rule.threshold);
	const current = value === null ? 'has no value' : `is ${figure.type === 'percent' ? `${Math.round(value * 10) / 10}%` : value}`;
	return {
		triggered: value !== null && crosses(value, rule.operator, rule.threshold),
		figure: figure.key,
		label: figure.label,
		value,
		operator: rule.operator,
		threshold: rule.threshold,
		message: `${figure.label} ${current} (alert when ${SYMBOL[rule.operator]} ${shown})`,
	};
}

/** The figure's value in the unit the user types: percent for percentages. */
function valueOf(figure: SummaryFigure): number | null {
	if (typeof figure.value !== 'number' || !Number.isFinite(figure.value)) return null;
	return figure.type === 'percent' ? Math.round(figure.value * 100 * 1e6) / 1e6 : figure.value;
}
