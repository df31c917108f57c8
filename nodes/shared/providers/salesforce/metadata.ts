/**
 * Stage lists from the org's own status objects (Object Reference: OpportunityStage, CaseStatus,
 * LeadStatus, TaskStatus; `ApiName` since v36.0 is the value stored in the record's picklist,
 * `MasterLabel` its label). Salesforce has one opportunity stage list per org (sales processes can
 * narrow it per record type), one case status list and one lead status list: each becomes one
 * pipeline, so stage-by-name, the transition guard and stage filters work as on other CRMs.
 */
import type { Pipeline, ResourceType, Stage } from '../../model/types';
import type { SalesforceApi } from './api';
import type { SObjectRecord } from './mapping';
import { soql } from './soql';

/** Pipeline ids (the status object each list comes from) and names shown in the editor. */
export const PIPELINES: Partial<Record<ResourceType, { id: string; name: string }>> = {
	deal: { id: 'OpportunityStage', name: 'Sales Process' },
	ticket: { id: 'CaseStatus', name: 'Case Status' },
	lead: { id: 'LeadStatus', name: 'Lead Status' },
};

const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));

function stageOf(row: SObjectRecord, order: number, closed: Stage['closed'], probability?: number): Stage {
	const id = text(row.ApiName) || text(row.MasterLabel);
	return {
		id,
		name: text(row.MasterLabel) || id,
		order,
		...(probability !== undefined && Number.isFinite(probability) ? { probability } : {}),
		closed,
	};
}

export async function loadPipeline(api: SalesforceApi, resource: ResourceType): Promise<Pipeline[]> {
	const pipeline = PIPELINES[resource];
	if (!pipeline) return [];
	let stages: Stage[];
	if (resource === 'deal') {
		const rows = await api.queryAll(
			soql({
				select: ['ApiName', 'MasterLabel', 'SortOrder', 'IsActive', 'IsClosed', 'IsWon', 'DefaultProbability', 'ForecastCategoryName'],
				from: 'OpportunityStage',
				where: 'IsActive = true',
				orderBy: 'SortOrder ASC',
			}),
		);
		stages = rows.map((row, order) =>
			stageOf(row, order, row.IsClosed === true ? (row.IsWon === true ? 'won' : 'lost') : 'open', row.DefaultProbability === null || row.DefaultProbability === undefined ? undefined : Number(row.DefaultProbability) / 100),
		);
	} else if (resource === 'ticket') {
		const rows = await api.queryAll(soql({ select: ['ApiName', 'MasterLabel', 'SortOrder', 'IsDefault', 'IsClosed'], from: 'CaseStatus', orderBy: 'SortOrder ASC' }));
		stages = rows.map((row, order) => stageOf(row, order, row.IsClosed === true ? 'closed' : 'open'));
	} else {
		const rows = await api.queryAll(soql({ select: ['ApiName', 'MasterLabel', 'SortOrder', 'IsDefault', 'IsConverted'], from: 'LeadStatus', orderBy: 'SortOrder ASC' }));
		// Converted statuses are set by Salesforce's lead conversion; shown as closed stages.
		stages = rows.map((row, order) => stageOf(row, order, row.IsConverted === true ? 'closed' : 'open'));
	}
	return [{ id: pipeline.id, name: pipeline.name, objectType: resource, stages }];
}

export interface TaskStatuses {
	/** The default status of a new task (open). */
	open: string;
	/** The first closed status ("Completed" in a default org). */
	completed: string;
	closed: string[];
}

export async function loadTaskStatuses(api: SalesforceApi): Promise<TaskStatuses> {
	const rows = await api.queryAll(soql({ select: ['ApiName', 'MasterLabel', 'SortOrder', 'IsDefault', 'IsClosed'], from: 'TaskStatus', orderBy: 'SortOrder ASC' }));
	const value = (row: SObjectRecord) => text(row.ApiName) || text(row.MasterLabel);
	const closed = rows.filter((r) => r.IsClosed === true).map(value);
	const open = rows.find((r) => r.IsDefault === true && r.IsClosed !== true) ?? rows.find((r) => r.IsClosed !== true);
	return { open: open ? value(open) : 'Not Started', completed: closed[0] ?? 'Completed', closed };
}
