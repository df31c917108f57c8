import type { Pipeline } from '../../../model/types';
import type { ReportBuilder, ReportContext, ReportDeal } from '../context';
import { delta, ratio, round, stageLookup } from '../context';
import { inPeriod, toMillis } from '../period';
import type { CellValue, ReportDocument } from '../types';
import { documentFrame, figure } from './common';

interface Counts {
	/** Deals whose furthest funnel step is i, per pipeline. */
	furthest: Map<string, number[]>;
	entered: number;
	won: number;
}

/**
 * Funnel: deals created in the period, counted at every step they reached or passed. The steps
 * are the pipeline's stages in order, lost stages left out. With stage history a lost deal
 * counts up to the furthest stage it entered; without history (or a deal that skipped stages)
 * the current stage's order stands for the furthest step.
 */
export class FunnelReport implements ReportBuilder {
	readonly kinds = ['deal'] as const;
	readonly needsStageHistory = true;
	private readonly current: Counts = { furthest: new Map(), entered: 0, won: 0 };
	private readonly previous: Counts = { furthest: new Map(), entered: 0, won: 0 };
	private readonly locate;
	private withHistory = 0;
	private withoutHistory = 0;

	constructor(private readonly ctx: ReportContext) {
		this.locate = stageLookup(ctx.pipelines);
	}

	private steps(pipeline: Pipeline) {
		return pipeline.stages.filter((s) => s.closed !== 'lost');
	}

	add(_kind: string, deal: ReportDeal): void {
		const created = toMillis(deal.createdAt);
		const counts = inPeriod(created, this.ctx.period) ? this.current : this.ctx.previous && inPeriod(created, this.ctx.previous) ? this.previous : undefined;
		if (!counts) return;
		const { pipeline, stage } = this.locate(deal.pipelineId, deal.stageId);
		if (!pipeline) return;
		const steps = this.steps(pipeline);
		let furthest = -1;
		if (deal.stageHistory?.length) {
			this.withHistory += counts === this.current ? 1 : 0;
			for (const entry of deal.stageHistory) {
				const index = steps.findIndex((s) => s.id === entry.stageId);
				if (index > furthest) furthest = index;
			}
		} else {
			this.withoutHistory += counts === this.current ? 1 : 0;
		}
		const currentIndex = steps.findIndex((s) => s.id === stage?.id);
		if (currentIndex > furthest) furthest = currentIndex;
		if (furthest < 0) furthest = 0; // lost without history: it entered the funnel
		const list = counts.furthest.get(pipeline.id) ?? new Array<number>(steps.length).fill(0);
		list[furthest]++;
		counts.furthest.set(pipeline.id, list);
		counts.entered++;
		if (stage?.closed === 'won' || deal.status === 'won') counts.won++;
	}

	private reached(counts: Counts, pipelineId: string): number[] {
		const furthest = counts.furthest.get(pipelineId) ?? [];
		const reached = new Array<number>(furthest.length).fill(0);
		let running = 0;
		for (let i = furthest.length - 1; i >= 0; i--) {
			running += furthest[i];
			reached[i] = running;
		}
		return reached;
	}

	finish(): ReportDocument {
		const rows: Array<Record<string, CellValue>> = [];
		let chart: { labels: string[]; values: number[] } | undefined;
		for (const pipeline of this.ctx.pipelines) {
			if (!this.current.furthest.has(pipeline.id)) continue;
			const steps = this.steps(pipeline);
			const reached = this.reached(this.current, pipeline.id);
			steps.forEach((stage, i) => {
				const conversion = i === 0 ? null : ratio(reached[i], reached[i - 1]);
				rows.push({
					pipeline: pipeline.name,
					stage: stage.name,
					stageId: stage.id,
					reached: reached[i],
					conversionFromPrevious: round(conversion, 4),
					dropOff: conversion === null ? null : round(1 - conversion, 4),
					conversionFromStart: round(ratio(reached[i], reached[0]), 4),
				});
			});
			if (!chart || reached[0] > chart.values[0]) chart = { labels: steps.map((s) => s.name), values: reached };
		}
		const winRate = (counts: Counts) => ratio(counts.won, counts.entered);
		const notes: string[] = [];
		if (this.withoutHistory > 0) {
			notes.push(
				this.withHistory > 0
					? `${this.withoutHistory} deal(s) had no stage history: their current stage stands for the furthest stage reached.`
					: 'The CRM gave no stage history: each deal counts up to its current stage (lost deals at the first stage).',
			);
		}
		return documentFrame(this.ctx, 'funnel', 'Funnel', {
			summary: [
				figure('dealsEntered', 'Deals entered', this.current.entered, 'integer', this.ctx.previous ? delta(this.current.entered, this.previous.entered) : undefined),
				figure('dealsWon', 'Deals won', this.current.won, 'integer', this.ctx.previous ? delta(this.current.won, this.previous.won) : undefined),
				figure('overallConversion', 'Created → won', round(winRate(this.current), 4), 'percent', this.ctx.previous ? delta(round(winRate(this.current), 4), round(winRate(this.previous), 4)) : undefined),
			],
			tables: [
				{
					title: 'Stage conversion',
					columns: [
						{ key: 'pipeline', label: 'Pipeline', type: 'text' },
						{ key: 'stage', label: 'Stage', type: 'text' },
						{ key: 'reached', label: 'Reached', type: 'integer' },
						{ key: 'conversionFromPrevious', label: 'From previous', type: 'percent' },
						{ key: 'dropOff', label: 'Drop-off', type: 'percent' },
						{ key: 'conversionFromStart', label: 'From start', type: 'percent' },
					],
					rows,
				},
			],
			charts: chart ? [{ kind: 'funnel', title: 'Funnel', labels: chart.labels, series: [{ name: 'Deals', values: chart.values }], valueType: 'integer' }] : [],
			notes,
		});
	}
}

