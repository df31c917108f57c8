import type { RecordKind, ReportBuilder, ReportContext, ReportDeal, ReportTicket } from '../context';
import { HOUR, ratio, round, stageLookup } from '../context';
import { businessMillisBetween } from '../businessHours';
import { Distribution } from '../distribution';
import { inPeriod, toMillis } from '../period';
import type { ReportDocument } from '../types';
import { documentFrame, figure } from './common';

type ProcessRecord = (ReportDeal | ReportTicket) & { stageHistory?: Array<{ stageId: string; enteredAt: number }> };

/**
 * Workflow effectiveness for a process (a deal pipeline or a ticket flow), with the metrics CRM
 * process designers use:
 * - effectiveness per stage = actual time (median hours in stage) / allowed time (≤ 1 is on plan);
 * - efficiency = work done (records closed in the period) / people (distinct owners who did it);
 * - cost per unit = cost rate × people × business hours in the period / work done.
 */
export class WorkflowEffectivenessReport implements ReportBuilder {
	readonly needsStageHistory = true;
	private readonly stages = new Map<string, { stage: string; stageId: string; order: [number, number]; hours: Distribution }>();
	private readonly people = new Set<string>();
	private done = 0;
	private readonly locate;

	constructor(
		private readonly ctx: ReportContext,
		readonly kinds: readonly RecordKind[],
	) {
		this.locate = stageLookup(ctx.pipelines);
	}

	add(_kind: RecordKind, record: ProcessRecord): void {
		const history = [...(record.stageHistory ?? [])].sort((a, b) => a.enteredAt - b.enteredAt);
		for (let i = 0; i + 1 < history.length; i++) {
			if (!inPeriod(history[i + 1].enteredAt, this.ctx.period)) continue;
			const { pipeline, stage } = this.locate(record.pipelineId, history[i].stageId);
			const key = `${pipeline?.id ?? ''}|${history[i].stageId}`;
			const entry = this.stages.get(key) ?? {
				stage: stage?.name ?? history[i].stageId,
				stageId: history[i].stageId,
				order: [pipeline ? this.ctx.pipelines.indexOf(pipeline) : 999, stage?.order ?? 999] as [number, number],
				hours: new Distribution(),
			};
			entry.hours.add((history[i + 1].enteredAt - history[i].enteredAt) / HOUR);
			this.stages.set(key, entry);
		}
		const closedAt = toMillis((record as ReportTicket).closedAt ?? (record as ReportDeal).closeDate);
		const closed = (record as ReportDeal).status ? (record as ReportDeal).status !== 'open' : closedAt !== undefined;
		if (closed && inPeriod(closedAt, this.ctx.period)) {
			this.done++;
			if (record.ownerId) this.people.add(record.ownerId);
		}
	}

	private allowed(stage: string, stageId: string): number | undefined {
		const table = this.ctx.allowedHoursByStage;
		return table[stage] ?? table[stageId] ?? table[stage.toLowerCase()];
	}

	finish(): ReportDocument {
		const rows = [...this.stages.values()]
			.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1])
			.map((s) => {
				const actual = s.hours.quantile(0.5);
				const allowed = this.allowed(s.stage, s.stageId);
				return {
					stage: s.stage,
					stays: s.hours.count,
					actualHours: round(actual),
					allowedHours: allowed ?? null,
					effectiveness: allowed && actual !== null ? round(actual / allowed, 4) : null,
				};
			});
		const people = this.people.size;
		const end = Math.min(this.ctx.period.end, this.ctx.now);
		const hoursInPeriod = end > this.ctx.period.start ? businessMillisBetween(this.ctx.period.start, end, this.ctx.workingHours) / HOUR : 0;
		const costPerUnit =
			this.ctx.costPerHour !== undefined && this.done > 0 ? (this.ctx.costPerHour * people * hoursInPeriod) / this.done : null;
		const planned = rows.filter((r) => r.allowedHours !== null && r.actualHours !== null);
		const overall = ratio(
			planned.reduce((sum, r) => sum + (r.actualHours ?? 0), 0),
			planned.reduce((sum, r) => sum + (r.allowedHours ?? 0), 0),
		);
		const notes = rows.some((r) => r.allowedHours === null) ? ['Stages without an allowed time have no effectiveness figure.'] : [];
		return documentFrame(this.ctx, 'workflowEffectiveness', 'Workflow effectiveness', {
			summary: [
				figure('effectiveness', 'Effectiveness (actual / allowed time)', round(overall, 4), 'number'),
				figure('workDone', 'Work done (closed in period)', this.done, 'integer'),
				figure('people', 'People', people, 'integer'),
				figure('efficiency', 'Efficiency (work done per person)', round(ratio(this.done, people)), 'number'),
				figure('businessHours', 'Business hours in period', round(hoursInPeriod, 1), 'hours'),
				figure('costPerUnit', 'Cost per unit of work', round(costPerUnit), 'currency'),
			],
			tables: [
				{
					title: 'Time per stage against plan',
					columns: [
						{ key: 'stage', label: 'Stage', type: 'text' },
						{ key: 'stays', label: 'Stays', type: 'integer' },
						{ key: 'actualHours', label: 'Actual (median)', type: 'hours' },
						{ key: 'allowedHours', label: 'Allowed', type: 'hours' },
						{ key: 'effectiveness', label: 'Actual / allowed', type: 'number' },
					],
					rows,
				},
			],
			charts: [
				{
					kind: 'bar',
					title: 'Actual vs allowed hours per stage',
					labels: rows.map((r) => r.stage),
					series: [
						{ name: 'Actual', values: rows.map((r) => r.actualHours ?? 0) },
						{ name: 'Allowed', values: rows.map((r) => r.allowedHours ?? 0) },
					],
					valueType: 'hours',
				},
			],
			notes,
		});
	}
}
