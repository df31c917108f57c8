import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { WEEKDAYS } from '../shared/engines/dueDate';
import type { RecordKind, ReportContext } from '../shared/engines/reports/context';
import { reportFiles } from '../shared/engines/reports/files';
import type { FileFormat } from '../shared/engines/reports/files';
import { inputPipeline, toReportRecord } from '../shared/engines/reports/inputRecords';
import { previousPeriod, resolvePeriod } from '../shared/engines/reports/period';
import type { Grouping, PeriodPreset } from '../shared/engines/reports/period';
import { createReport, pipelineResourceOf } from '../shared/engines/reports/registry';
import type { ReportKind } from '../shared/engines/reports/registry';
import { reportFromCrm, reportFromRecords } from '../shared/engines/reports/run';
import { evaluateAlert } from '../shared/engines/reports/alert';
import type { AlertOperator } from '../shared/engines/reports/alert';
import { validateWorkingHours } from '../shared/engines/reports/businessHours';
import type { ReportDocument } from '../shared/engines/reports/types';
import { providerFor } from '../shared/node/providerContext';
import { CRM_NAMES, crmNotices, optionLabels, readableSubtitle } from '../shared/node/editorDisplay';
import { providerCredentialsWhen, providerProperty } from '../shared/node/providerDescription';
import { toNodeError } from '../shared/transport/errors';
import { reportProperties } from './description';

/** Default SLA targets in business hours (first response / resolution), by priority. */
const DEFAULT_SLA = {
	firstResponse: { urgent: 1, high: 4, medium: 8, low: 24, default: 8 } as Record<string, number>,
	resolution: { urgent: 8, high: 16, medium: 40, low: 80, default: 40 } as Record<string, number>,
};

const list = (value: unknown) =>
	String(value ?? '')
		.split(/[,;\n]/)
		.map((s) => s.trim())
		.filter(Boolean);

export class CrmReport implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CRM Report',
		name: 'crmReport',
		icon: { light: 'file:../../icons/crm-report.svg', dark: 'file:../../icons/crm-report.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: readableSubtitle([
			{ key: '$parameter["report"]', labels: optionLabels(reportProperties, 'report') },
			// From the CRM: the CRM's name; from input items: no CRM.
			{ key: '($parameter["dataSource"] === "input" ? "input" : $parameter["provider"])', labels: { ...CRM_NAMES, input: 'Input Items' } },
		]),
		description: 'Pipeline, forecast, funnel, win/loss, velocity, SLA, workload, leaderboard, conversion, stale-deal and effectiveness reports as rows, CSV, HTML, Markdown and charts; optional alert mode',
		defaults: { name: 'CRM Report' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: providerCredentialsWhen({ dataSource: ['crm'] }),
		properties: [providerProperty, ...crmNotices(providerProperty, { dataSource: ['crm'] }), ...reportProperties],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const kind = this.getNodeParameter('report', 0) as ReportKind;
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		try {
			const ctx = buildContext(this, options);
			const process = (options.process as 'deal' | 'ticket') ?? 'deal';
			let doc: ReportDocument;
			if (this.getNodeParameter('dataSource', 0) === 'crm') {
				const provider = await providerFor(this, this.getNodeParameter('provider', 0) as string);
				const resource = pipelineResourceOf(kind, process);
				if (resource) ctx.pipelines = await provider.listPipelines(resource);
				const users = await provider.listUsers();
				ctx.owners = new Map(users.map((u) => [u.id, u.name]));
				ctx.ownerAliases = new Map(users.filter((u) => u.email).map((u) => [u.id, [u.email.toLowerCase()]]));
				doc = await reportFromCrm(provider, createReport(kind, ctx, process));
			} else {
				doc = fromInputItems(this, kind, ctx, process, items.map((item) => item.json));
			}
			const files = this.getNodeParameter('files', 0, []) as FileFormat[];
			if (!this.getNodeParameter('alertMode', 0, false)) return [await toItems(this, doc, files)];
			const alert = evaluateAlert(doc, {
				figure: String(this.getNodeParameter('alertFigure', 0, '')).trim(),
				operator: this.getNodeParameter('alertOperator', 0, 'gt') as AlertOperator,
				threshold: Number(this.getNodeParameter('alertThreshold', 0, 0)),
			});
			// Below the threshold: no item, so the nodes after this one do not run.
			if (!alert.triggered) return [[]];
			const summary = (await toItems(this, doc, files)).pop()!;
			return [[{ ...summary, json: { ...summary.json, alert: alert as unknown as IDataObject } }]];
		} catch (error) {
			throw toNodeError(this.getNode(), error);
		}
	}
}

function buildContext(node: IExecuteFunctions, options: IDataObject): ReportContext {
	const timeZone = String(node.getNodeParameter('timeZone', 0, '') || node.getTimezone());
	const preset = node.getNodeParameter('period', 0) as PeriodPreset;
	const now = Date.now();
	const period = resolvePeriod(preset, {
		timeZone,
		now,
		start: String(node.getNodeParameter('start', 0, '')),
		end: String(node.getNodeParameter('end', 0, '')),
	});
	const workingHours = {
		timeZone,
		calendar: {
			workingDays: Array.isArray(options.workingDays) ? options.workingDays.map(Number) : WEEKDAYS.workingDays,
			holidays: list(options.holidays),
		},
		start: String(options.workdayStart ?? '09:00'),
		end: String(options.workdayEnd ?? '17:00'),
	};
	validateWorkingHours(workingHours);
	const sla = { firstResponse: { ...DEFAULT_SLA.firstResponse }, resolution: { ...DEFAULT_SLA.resolution } };
	for (const target of (node.getNodeParameter('slaTargets.target', 0, []) as IDataObject[]) ?? []) {
		const priority = String(target.priority ?? '').toLowerCase() || 'default';
		if (target.firstResponseHours !== undefined) sla.firstResponse[priority] = Number(target.firstResponseHours);
		if (target.resolutionHours !== undefined) sla.resolution[priority] = Number(target.resolutionHours);
	}
	const allowed: Record<string, number> = {};
	for (const stage of (node.getNodeParameter('allowedTime.stage', 0, []) as IDataObject[]) ?? []) {
		allowed[String(stage.stage ?? '').trim()] = Number(stage.hours);
	}
	return {
		period,
		...(node.getNodeParameter('compare', 0, false) ? { previous: previousPeriod(period, preset) } : {}),
		grouping: node.getNodeParameter('grouping', 0, 'none') as Grouping,
		now,
		...(options.currency ? { currency: String(options.currency) } : {}),
		pipelines: [],
		owners: new Map(),
		byOwner: node.getNodeParameter('byOwner', 0, false) as boolean,
		workingHours,
		slaTargets: sla,
		atRiskShare: options.atRiskPercent !== undefined ? Number(options.atRiskPercent) / 100 : 0.8,
		stalledDays: options.stalledDays !== undefined ? Number(options.stalledDays) : 14,
		allowedHoursByStage: allowed,
		...(options.costPerHour !== undefined ? { costPerHour: Number(options.costPerHour) } : {}),
		includeClosedDeals: options.includeClosedDeals === true,
		forecast: forecastSettings(node, options),
		...(options.staleDays !== undefined ? { staleDays: positive(node, options.staleDays, 'Stale After (Days)') } : {}),
		...(options.maxRows !== undefined ? { maxRows: Math.max(1, Math.floor(positive(node, options.maxRows, 'Max Record Rows'))) } : {}),
	};
}

function positive(node: IExecuteFunctions, value: unknown, name: string): number {
	const number = Number(value);
	if (!Number.isFinite(number) || number < 0) {
		throw new NodeOperationError(node.getNode(), `Option "${name}" is ${String(value)}`, { description: 'Give a number of 0 or more.' });
	}
	return number;
}

/** Forecast buckets (percent options → shares) and quotas keyed by owner id, name or email. */
function forecastSettings(node: IExecuteFunctions, options: IDataObject): ReportContext['forecast'] {
	const share = (value: unknown, fallback: number, name: string) => (value === undefined ? fallback : positive(node, value, name) / 100);
	const quotas = new Map<string, number>();
	((node.getNodeParameter('quotas.quota', 0, []) as IDataObject[]) ?? []).forEach((quota, index) => {
		const owner = String(quota.owner ?? '').trim();
		const amount = Number(quota.amount);
		if (!owner || !Number.isFinite(amount) || amount <= 0) {
			throw new NodeOperationError(node.getNode(), `Quota ${index + 1} needs an owner and an amount above 0`, {
				description: `Got owner "${owner}" and amount "${String(quota.amount)}". The owner is the CRM user's ID, name or email.`,
			});
		}
		quotas.set(owner.toLowerCase(), amount);
	});
	return {
		commitFrom: share(options.commitFromPercent, 0.7, 'Commit From (% Probability)'),
		bestCaseFrom: share(options.bestCaseFromPercent, 0.4, 'Best Case From (% Probability)'),
		quotas,
	};
}

function fromInputItems(
	node: IExecuteFunctions,
	kind: ReportKind,
	ctx: ReportContext,
	process: 'deal' | 'ticket',
	rows: IDataObject[],
): ReportDocument {
	const inputKind = node.getNodeParameter('inputKind', 0, 'deal') as RecordKind | 'field';
	const mapping = node.getNodeParameter('fieldMapping', 0, {}) as Record<string, string>;
	const kindOf = (row: IDataObject, index: number): RecordKind => {
		if (inputKind !== 'field') return inputKind;
		const value = String(row.kind ?? '').toLowerCase();
		if (value === 'deal' || value === 'ticket' || value === 'task' || value === 'lead') return value;
		throw new NodeOperationError(node.getNode(), `Item ${index} has no "kind" field`, {
			description: 'With "Input Records Are: Mixed", every item needs kind = deal, ticket, task or lead.',
			itemIndex: index,
		});
	};
	const records = rows.map((row, index) => {
		const recordKind = kindOf(row, index);
		return { kind: recordKind, record: toReportRecord(recordKind, row, mapping, index) };
	});
	const stageNames = list(node.getNodeParameter('stageOrder', 0, ''));
	if (stageNames.length === 0) {
		for (const { record } of records) {
			const stage = (record as { stageId?: string }).stageId;
			if (stage && !stageNames.includes(stage)) stageNames.push(stage);
		}
	}
	const objectType = pipelineResourceOf(kind, process) === 'ticket' ? 'ticket' : 'deal';
	ctx.pipelines = [
		inputPipeline(objectType, stageNames, {
			won: list(node.getNodeParameter('wonStages', 0, '')),
			lost: list(node.getNodeParameter('lostStages', 0, '')),
			closed: [],
		}),
	];
	return reportFromRecords(createReport(kind, ctx, process), records);
}

async function toItems(node: IExecuteFunctions, doc: ReportDocument, formats: FileFormat[]): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = (doc.tables[0]?.rows ?? []).map((row) => ({
		json: { report: doc.report, ...row } as IDataObject,
		pairedItem: { item: 0 },
	}));
	const binary: IBinaryKeyData = {};
	for (const file of reportFiles(doc, formats)) {
		binary[file.property] = await node.helpers.prepareBinaryData(Buffer.from(file.data), file.fileName, file.mimeType);
	}
	out.push({
		json: {
			report: doc.report,
			type: 'summary',
			title: doc.title,
			period: doc.period,
			generatedAt: doc.generatedAt,
			...(doc.currency ? { currency: doc.currency } : {}),
			summary: Object.fromEntries(doc.summary.map((f) => [f.key, f.value])),
			deltas: Object.fromEntries(doc.summary.filter((f) => f.delta !== undefined).map((f) => [f.key, f.delta ?? null])),
			figures: doc.summary as unknown as IDataObject[],
			tables: doc.tables.slice(1).map((t) => ({ title: t.title, rows: t.rows })) as unknown as IDataObject[],
			notes: doc.notes,
		},
		...(Object.keys(binary).length ? { binary } : {}),
		pairedItem: { item: 0 },
	});
	return out;
}
