import type { ReportBuilder, ReportContext, ReportDeal } from '../context';
import { round, stageLookup } from '../context';
import type { ReportDocument } from '../types';
import { documentFrame, figure, ownerName } from './common';

interface Group {
	pipelineId: string;
	pipeline: string;
	stageId: string;
	stage: string;
	order: [number, number];
	owner?: string;
	probability: number | null;
	count: number;
	amount: number;
	weighted: number;
}

/** Pipeline: open deals by stage (and owner): count, amount, amount weighted by stage probability. */
export class PipelineReport implements ReportBuilder {
	readonly kinds = ['deal'] as const;
	private readonly groups = new Map<string, Group>();
	private readonly locate;

	constructor(private readonly ctx: ReportContext) {
		this.locate = stageLookup(ctx.pipelines);
	}

	add(_kind: string, record: ReportDeal): void {
		if (record.status && record.status !== 'open' && !this.ctx.includeClosedDeals) return;
		const { pipeline, stage } = this.locate(record.pipelineId, record.stageId);
		const stageId = stage?.id ?? record.stageId ?? '(none)';
		const owner = this.ctx.byOwner ? ownerName(this.ctx, record.ownerId) : undefined;
		const key = `${pipeline?.id ?? record.pipelineId ?? ''}|${stageId}|${owner ?? ''}`;
		let group = this.groups.get(key);
		if (!group) {
			group = {
				pipelineId: pipeline?.id ?? record.pipelineId ?? '',
				pipeline: pipeline?.name ?? record.pipelineId ?? '(none)',
				stageId,
				stage: stage?.name ?? record.stageName ?? stageId,
				order: [pipeline ? this.ctx.pipelines.indexOf(pipeline) : 999, stage?.order ?? 999],
				...(owner !== undefined ? { owner } : {}),
				probability: stage?.probability ?? record.probability ?? null,
				count: 0,
				amount: 0,
				weighted: 0,
			};
			this.groups.set(key, group);
		}
		const amount = Number(record.amount ?? 0) || 0;
		const probability = record.probability ?? stage?.probability ?? 0;
		group.count++;
		group.amount += amount;
		group.weighted += amount * probability;
	}

	finish(): ReportDocument {
		const groups = [...this.groups.values()].sort(
			(a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1] || (a.owner ?? '').localeCompare(b.owner ?? ''),
		);
		const rows = groups.map((g) => ({
			pipeline: g.pipeline,
			stage: g.stage,
			stageId: g.stageId,
			...(this.ctx.byOwner ? { owner: g.owner ?? '(no owner)' } : {}),
			count: g.count,
			amount: round(g.amount),
			probability: g.probability,
			weightedAmount: round(g.weighted),
		}));
		const total = (pick: (g: Group) => number) => groups.reduce((sum, g) => sum + pick(g), 0);
		const multiple = new Set(groups.map((g) => g.pipelineId)).size > 1;
		const byStage = new Map<string, { amount: number; weighted: number }>();
		for (const g of groups) {
			const label = multiple ? `${g.pipeline} › ${g.stage}` : g.stage;
			const entry = byStage.get(label) ?? { amount: 0, weighted: 0 };
			entry.amount += g.amount;
			entry.weighted += g.weighted;
			byStage.set(label, entry);
		}
		return documentFrame(this.ctx, 'pipeline', 'Pipeline', {
			summary: [
				figure('deals', this.ctx.includeClosedDeals ? 'Deals' : 'Open deals', total((g) => g.count), 'integer'),
				figure('amount', 'Amount', round(total((g) => g.amount)), 'currency'),
				figure('weightedAmount', 'Weighted amount', round(total((g) => g.weighted)), 'currency'),
			],
			tables: [
				{
					title: 'Deals by stage',
					columns: [
						{ key: 'pipeline', label: 'Pipeline', type: 'text' },
						{ key: 'stage', label: 'Stage', type: 'text' },
						...(this.ctx.byOwner ? [{ key: 'owner', label: 'Owner', type: 'text' as const }] : []),
						{ key: 'count', label: 'Deals', type: 'integer' },
						{ key: 'amount', label: 'Amount', type: 'currency' },
						{ key: 'probability', label: 'Probability', type: 'percent' },
						{ key: 'weightedAmount', label: 'Weighted', type: 'currency' },
					],
					rows,
				},
			],
			charts: [
				{
					kind: 'bar',
					title: 'Amount by stage',
					labels: [...byStage.keys()],
					series: [
						{ name: 'Amount', values: [...byStage.values()].map((v) => round(v.amount) ?? 0) },
						{ name: 'Weighted', values: [...byStage.values()].map((v) => round(v.weighted) ?? 0) },
					],
					valueType: 'currency',
				},
			],
		});
	}
}
