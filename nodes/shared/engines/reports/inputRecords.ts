import type { Pipeline, Stage } from '../../model/types';
import { readPath } from '../assignment';
import type { AnyReportRecord, RecordKind, ReportDeal } from './context';
import { toMillis } from './period';

/** Which item field holds each normalized field (dot paths); defaults are the CRM node's own output names. */
export type FieldMapping = Record<string, string>;

const FIELDS: Record<RecordKind, string[]> = {
	deal: ['id', 'url', 'name', 'amount', 'pipelineId', 'stageId', 'status', 'probability', 'ownerId', 'createdAt', 'closeDate', 'stageChangedAt', 'stageHistory', 'lastActivityAt', 'closeDateHistory', 'forecastCategory'],
	ticket: ['id', 'url', 'subject', 'priority', 'ownerId', 'openedAt', 'firstResponseAt', 'closedAt', 'reopened', 'pipelineId', 'stageId', 'status', 'stageHistory'],
	task: ['id', 'url', 'subject', 'kind', 'status', 'ownerId', 'dueAt', 'completedAt', 'updatedAt'],
	lead: ['id', 'url', 'name', 'source', 'status', 'ownerId', 'createdAt', 'qualified', 'convertedDealId', 'won'],
};

export const INPUT_PIPELINE_ID = 'input';

/** An input item as a report record; the trigger's `record` wrapper is looked into as well. */
export function toReportRecord(kind: RecordKind, json: Record<string, unknown>, mapping: FieldMapping, index: number): AnyReportRecord {
	const source = json.record && typeof json.record === 'object' && !mapping.id ? (json.record as Record<string, unknown>) : json;
	const out: Record<string, unknown> = {};
	for (const field of FIELDS[kind]) {
		const value = readPath(source, mapping[field] || field);
		if (value !== undefined && value !== null && value !== '') out[field] = value;
	}
	out.id = String(out.id ?? index);
	if (out.amount !== undefined) out.amount = Number(out.amount);
	if (out.probability !== undefined) out.probability = Number(out.probability);
	if (kind === 'deal' || kind === 'ticket') {
		if (out.stageId !== undefined) out.stageId = String(out.stageId);
		out.pipelineId = INPUT_PIPELINE_ID;
		if (Array.isArray(out.stageHistory)) {
			out.stageHistory = (out.stageHistory as Array<Record<string, unknown>>)
				.map((h) => ({ stageId: String(h.stageId ?? h.stage ?? ''), enteredAt: toMillis(h.enteredAt) ?? Number.NaN }))
				.filter((h) => h.stageId && Number.isFinite(h.enteredAt));
		}
	}
	if (kind === 'deal' && typeof out.status === 'string') out.status = out.status.toLowerCase();
	if (kind === 'task' && typeof out.status === 'string') out.status = out.status.toLowerCase() === 'completed' ? 'completed' : 'open';
	if (kind === 'task' && typeof out.kind === 'string') out.kind = out.kind.toLowerCase();
	if (kind === 'deal' && Array.isArray(out.closeDateHistory)) {
		out.closeDateHistory = (out.closeDateHistory as Array<Record<string, unknown>>)
			.map((h) => ({ closeDate: String(h.closeDate ?? ''), changedAt: toMillis(h.changedAt) ?? Number.NaN }))
			.filter((h) => h.closeDate && Number.isFinite(h.changedAt));
	}
	if (kind === 'lead') for (const flag of ['qualified', 'won'] as const) if (out[flag] !== undefined) out[flag] = out[flag] === true || String(out[flag]).toLowerCase() === 'true';
	return out as unknown as ReportDeal;
}

/**
 * The one pipeline input records are measured against: the stage order given, else the order
 * stages first appear in. Stages named in `won` / `lost` close deals as won / lost.
 */
export function inputPipeline(
	objectType: 'deal' | 'ticket',
	stageNames: string[],
	closed: { won: string[]; lost: string[]; closed: string[] },
): Pipeline {
	const lower = (list: string[]) => list.map((s) => s.toLowerCase());
	const [won, lost, other] = [lower(closed.won), lower(closed.lost), lower(closed.closed)];
	const stages: Stage[] = stageNames.map((name, order) => {
		const key = name.toLowerCase();
		const state: Stage['closed'] = won.includes(key) ? 'won' : lost.includes(key) ? 'lost' : other.includes(key) ? 'closed' : 'open';
		return { id: name, name, order, closed: state };
	});
	return { id: INPUT_PIPELINE_ID, name: 'Input', objectType, stages };
}
