import type { ReportBuilder, ReportContext, ReportDeal } from '../context';
import { DAY, round, stageLookup } from '../context';
import { Distribution } from '../distribution';
import { inPeriod, toMillis } from '../period';
import type { ReportDocument } from '../types';
import { documentFrame, figure, ownerName } from './common';

const STALLED_LIMIT = 500;

interface StalledDeal {
	id: string;
	name: string;
	owner: string;
	pipeline: string;
	stage: string;
	daysInStage: number;
	amount: number | null;
	url?: string;
}

/**
 * Stage velocity: time spent in each stage (median, p90), from stage history, for stays that
 * ended in the period; and stalled deals: open deals in their stage longer than N days. The
 * stalled list keeps the longest STALLED_LIMIT, so memory stays bounded.
 */
export class StageVelocityReport implements ReportBuilder {
	readonly kinds = ['deal'] as const;
	readonly needsStageHistory = true;
	private readonly stays = new Map<string, { pipeline: string; stage: string; order: [number, number]; days: Distribution }>();
	private stalled: StalledDeal[] = [];
	private stalledCount = 0;
	private withoutHistory = 0;
	private readonly locate;

	constructor(private readonly ctx: ReportContext) {
		this.locate = stageLookup(ctx.pipelines);
	}

	add(_kind: string, deal: ReportDeal): void {
		const { pipeline, stage } = this.locate(deal.pipelineId, deal.stageId);
		const history = [...(deal.stageHistory ?? [])].sort((a, b) => a.enteredAt - b.enteredAt);
		if (history.length === 0) this.withoutHistory++;
		for (let i = 0; i + 1 < history.length; i++) {
			const exit = history[i + 1].enteredAt;
			if (!inPeriod(exit, this.ctx.period)) continue;
			const located = this.locate(deal.pipelineId, history[i].stageId);
			const key = `${located.pipeline?.id ?? ''}|${history[i].stageId}`;
			const entry = this.stays.get(key) ?? {
				pipeline: located.pipeline?.name ?? deal.pipelineId ?? '',
				stage: located.stage?.name ?? history[i].stageId,
				order: [located.pipeline ? this.ctx.pipelines.indexOf(located.pipeline) : 999, located.stage?.order ?? 999] as [number, number],
				days: new Distribution(),
			};
			entry.days.add((exit - history[i].enteredAt) / DAY);
			this.stays.set(key, entry);
		}
		const open = (deal.status ?? 'open') === 'open' && (!stage || stage.closed === 'open');
		if (!open) return;
		const since = toMillis(deal.stageChangedAt) ?? history[history.length - 1]?.enteredAt;
		if (since === undefined) return;
		const days = (this.ctx.now - since) / DAY;
		if (days <= this.ctx.stalledDays) return;
		this.stalledCount++;
		this.stalled.push({
			id: deal.id,
			name: deal.name ?? deal.id,
			owner: ownerName(this.ctx, deal.ownerId),
			pipeline: pipeline?.name ?? deal.pipelineId ?? '',
			stage: stage?.name ?? deal.stageName ?? deal.stageId ?? '',
			daysInStage: round(days, 1) ?? 0,
			amount: deal.amount ?? null,
			...(deal.url ? { url: deal.url } : {}),
		});
		if (this.stalled.length > STALLED_LIMIT * 2) this.trimStalled();
	}

	private trimStalled() {
		this.stalled.sort((a, b) => b.daysInStage - a.daysInStage || a.id.localeCompare(b.id));
		this.stalled.length = Math.min(this.stalled.length, STALLED_LIMIT);
	}

	finish(): ReportDocument {
		this.trimStalled();
		const rows = [...this.stays.values()]
			.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1])
			.map((s) => ({
				pipeline: s.pipeline,
				stage: s.stage,
				stays: s.days.count,
				medianDays: round(s.days.quantile(0.5)),
				p90Days: round(s.days.quantile(0.9)),
				averageDays: round(s.days.mean()),
			}));
		const notes: string[] = [];
		if (this.withoutHistory > 0) notes.push(`${this.withoutHistory} deal(s) had no stage history; time in stage needs the CRM's stage history.`);
		if (this.stalledCount > this.stalled.length) notes.push(`${this.stalledCount} stalled deals; the ${this.stalled.length} longest are listed.`);
		return documentFrame(this.ctx, 'stageVelocity', 'Stage velocity', {
			summary: [
				figure('stalledDeals', `Stalled (over ${this.ctx.stalledDays} days in stage)`, this.stalledCount, 'integer'),
				figure('stageStays', 'Stage stays measured', rows.reduce((sum, r) => sum + r.stays, 0), 'integer'),
			],
			tables: [
				{
					title: 'Time in stage',
					columns: [
						{ key: 'pipeline', label: 'Pipeline', type: 'text' },
						{ key: 'stage', label: 'Stage', type: 'text' },
						{ key: 'stays', label: 'Stays', type: 'integer' },
						{ key: 'medianDays', label: 'Median', type: 'days' },
						{ key: 'p90Days', label: 'p90', type: 'days' },
						{ key: 'averageDays', label: 'Average', type: 'days' },
					],
					rows,
				},
				{
					title: 'Stalled deals',
					columns: [
						{ key: 'name', label: 'Deal', type: 'text', link: 'url' },
						{ key: 'owner', label: 'Owner', type: 'text' },
						{ key: 'stage', label: 'Stage', type: 'text' },
						{ key: 'daysInStage', label: 'Days in stage', type: 'days' },
						{ key: 'amount', label: 'Amount', type: 'currency' },
					],
					rows: this.stalled.map((s) => ({ id: s.id, name: s.name, owner: s.owner, pipeline: s.pipeline, stage: s.stage, daysInStage: s.daysInStage, amount: s.amount, ...(s.url ? { url: s.url } : {}) })),
				},
			],
			charts: [
				{
					kind: 'bar',
					title: 'Days in stage',
					labels: rows.map((r) => r.stage),
					series: [
						{ name: 'Median', values: rows.map((r) => r.medianDays ?? 0) },
						{ name: 'p90', values: rows.map((r) => r.p90Days ?? 0) },
					],
					valueType: 'days',
				},
			],
			notes,
		});
	}
}
