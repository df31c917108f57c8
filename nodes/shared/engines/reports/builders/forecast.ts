import { DateTime } from 'luxon';

import type { ForecastCategory } from '../../../model/types';
import type { ForecastSettings, RecordKind, ReportBuilder, ReportContext, ReportDeal } from '../context';
import { ratio, round, stageLookup } from '../context';
import { inPeriod, toMillis } from '../period';
import type { ReportDocument } from '../types';
import { documentFrame, figure, ownerName } from './common';

type Bucket = 'commit' | 'bestCase' | 'pipeline' | 'omitted';

interface Sums {
	deals: number;
	amount: number;
	weighted: number;
	commit: number;
	bestCase: number;
	pipeline: number;
}

interface OwnerSums extends Sums {
	ownerId?: string;
	owner: string;
	won: number;
	wonDeals: number;
}

const empty = (): Sums => ({ deals: 0, amount: 0, weighted: 0, commit: 0, bestCase: 0, pipeline: 0 });

export const DEFAULT_FORECAST: ForecastSettings = { commitFrom: 0.7, bestCaseFrom: 0.4, quotas: new Map() };

/**
 * Forecast: open deals whose expected close date falls in the period, by close month and owner;
 * amount weighted by probability; commit / best-case buckets; won amount and quota attainment.
 *
 * Buckets: the CRM's own forecast category where it has one (Salesforce ForecastCategoryName),
 * else the probability (deal's, else its stage's): commit from `commitFrom`, best case from
 * `bestCaseFrom`, pipeline below. As in Salesforce's forecasts, best case includes commit.
 */
export class ForecastReport implements ReportBuilder {
	readonly kinds = ['deal'] as const;
	private readonly months = new Map<string, Sums>();
	private readonly owners = new Map<string, OwnerSums>();
	private readonly locate;
	private readonly settings: ForecastSettings;
	private overdue = { deals: 0, amount: 0 };
	private undated = 0;
	private fromCategory = 0;
	private fromProbability = 0;

	constructor(private readonly ctx: ReportContext) {
		this.locate = stageLookup(ctx.pipelines);
		this.settings = ctx.forecast ?? DEFAULT_FORECAST;
	}

	private owner(ownerId: string | undefined): OwnerSums {
		const key = ownerId ?? '';
		let sums = this.owners.get(key);
		if (!sums) {
			sums = { ...empty(), ...(ownerId ? { ownerId } : {}), owner: ownerName(this.ctx, ownerId), won: 0, wonDeals: 0 };
			this.owners.set(key, sums);
		}
		return sums;
	}

	add(_kind: RecordKind, deal: ReportDeal): void {
		const close = toMillis(deal.closeDate);
		const amount = Number(deal.amount ?? 0) || 0;
		if (deal.status === 'won') {
			if (inPeriod(close, this.ctx.period)) {
				const sums = this.owner(deal.ownerId);
				sums.won += amount;
				sums.wonDeals++;
			}
			return;
		}
		if (deal.status === 'lost') return;
		if (close === undefined) {
			this.undated++;
			return;
		}
		if (close < this.ctx.period.start) {
			// Still open with a close date already past: counted apart, so the forecast is not padded.
			if (close < this.ctx.now) {
				this.overdue.deals++;
				this.overdue.amount += amount;
			}
			return;
		}
		if (!inPeriod(close, this.ctx.period)) return;
		const { stage } = this.locate(deal.pipelineId, deal.stageId);
		const probability = deal.probability ?? stage?.probability ?? 0;
		const bucket = this.bucketOf(deal.forecastCategory, probability);
		const month = DateTime.fromMillis(close, { zone: this.ctx.period.timeZone }).toFormat('yyyy-MM');
		for (const sums of [this.month(month), this.owner(deal.ownerId)]) {
			sums.deals++;
			sums.amount += amount;
			sums.weighted += amount * probability;
			if (bucket === 'commit') sums.commit += amount;
			if (bucket === 'commit' || bucket === 'bestCase') sums.bestCase += amount;
			if (bucket !== 'omitted') sums.pipeline += amount;
		}
	}

	private month(key: string): Sums {
		let sums = this.months.get(key);
		if (!sums) this.months.set(key, (sums = empty()));
		return sums;
	}

	private bucketOf(category: ForecastCategory | undefined, probability: number): Bucket {
		if (category && category !== 'closed') {
			this.fromCategory++;
			return category;
		}
		this.fromProbability++;
		if (probability >= this.settings.commitFrom) return 'commit';
		if (probability >= this.settings.bestCaseFrom) return 'bestCase';
		return 'pipeline';
	}

	private quotaOf(sums: OwnerSums): number | null {
		const names = [sums.ownerId, sums.owner, ...(sums.ownerId ? (this.ctx.ownerAliases?.get(sums.ownerId) ?? []) : [])];
		for (const name of names) {
			const quota = name ? this.settings.quotas.get(name.toLowerCase()) : undefined;
			if (quota !== undefined) return quota;
		}
		return null;
	}

	finish(): ReportDocument {
		const months = [...this.months.entries()].sort(([a], [b]) => a.localeCompare(b));
		const owners = [...this.owners.values()].sort((a, b) => b.won + b.commit - (a.won + a.commit) || a.owner.localeCompare(b.owner));
		const quotas = this.settings.quotas.size > 0;
		const total = (pick: (s: OwnerSums) => number) => owners.reduce((sum, s) => sum + pick(s), 0);
		const quotaTotal = quotas ? owners.reduce((sum, s) => sum + (this.quotaOf(s) ?? 0), 0) : 0;
		const money = (value: number) => round(value) ?? 0;
		const notes: string[] = [];
		if (this.fromCategory > 0) notes.push(`Buckets: the CRM's forecast category for ${this.fromCategory} deal(s), stage probability for ${this.fromProbability}.`);
		else notes.push(`Buckets from probability: commit from ${round(this.settings.commitFrom * 100, 1)} %, best case from ${round(this.settings.bestCaseFrom * 100, 1)} % (best case includes commit).`);
		if (this.overdue.deals) notes.push(`${this.overdue.deals} open deal(s) (${money(this.overdue.amount)}) have a close date before the period and are not forecast.`);
		if (this.undated) notes.push(`${this.undated} open deal(s) have no close date.`);
		const quotaColumns = quotas
			? [
					{ key: 'quota', label: 'Quota', type: 'currency' as const },
					{ key: 'attainment', label: 'Attained', type: 'percent' as const },
					{ key: 'forecastAttainment', label: 'With commit', type: 'percent' as const },
				]
			: [];
		return documentFrame(this.ctx, 'forecast', 'Forecast', {
			summary: [
				figure('openDeals', 'Open deals closing', total((s) => s.deals), 'integer'),
				figure('pipeline', 'Pipeline', money(total((s) => s.pipeline)), 'currency'),
				figure('bestCase', 'Best case', money(total((s) => s.bestCase)), 'currency'),
				figure('commit', 'Commit', money(total((s) => s.commit)), 'currency'),
				figure('weightedAmount', 'Weighted', money(total((s) => s.weighted)), 'currency'),
				figure('won', 'Won', money(total((s) => s.won)), 'currency'),
				...(quotas
					? [
							figure('quota', 'Quota', money(quotaTotal), 'currency'),
							figure('attainment', 'Quota attained', round(ratio(total((s) => s.won), quotaTotal), 4), 'percent'),
						]
					: []),
			],
			tables: [
				{
					title: 'Forecast by close month',
					columns: [
						{ key: 'month', label: 'Close month', type: 'text' },
						{ key: 'deals', label: 'Deals', type: 'integer' },
						{ key: 'pipeline', label: 'Pipeline', type: 'currency' },
						{ key: 'bestCase', label: 'Best case', type: 'currency' },
						{ key: 'commit', label: 'Commit', type: 'currency' },
						{ key: 'weightedAmount', label: 'Weighted', type: 'currency' },
					],
					rows: months.map(([month, s]) => ({ month, deals: s.deals, pipeline: money(s.pipeline), bestCase: money(s.bestCase), commit: money(s.commit), weightedAmount: money(s.weighted) })),
				},
				{
					title: 'Forecast by owner',
					columns: [
						{ key: 'owner', label: 'Owner', type: 'text' },
						{ key: 'won', label: 'Won', type: 'currency' },
						{ key: 'commit', label: 'Commit', type: 'currency' },
						{ key: 'bestCase', label: 'Best case', type: 'currency' },
						// With quotas the table would not fit an email: pipeline stays in the rows.
						...(quotas ? [] : [{ key: 'pipeline', label: 'Pipeline', type: 'currency' as const }]),
						{ key: 'weightedAmount', label: 'Weighted', type: 'currency' },
						...quotaColumns,
					],
					rows: owners.map((s) => {
						const quota = this.quotaOf(s);
						return {
							owner: s.owner,
							won: money(s.won),
							commit: money(s.commit),
							bestCase: money(s.bestCase),
							pipeline: money(s.pipeline),
							weightedAmount: money(s.weighted),
							...(quotas ? { quota, attainment: quota ? round(s.won / quota, 4) : null, forecastAttainment: quota ? round((s.won + s.commit) / quota, 4) : null } : {}),
						};
					}),
				},
			],
			charts: [
				{
					kind: 'bar',
					title: 'Forecast by close month',
					labels: months.map(([month]) => month),
					series: [
						{ name: 'Commit', values: months.map(([, s]) => money(s.commit)) },
						{ name: 'Best case', values: months.map(([, s]) => money(s.bestCase)) },
						{ name: 'Pipeline', values: months.map(([, s]) => money(s.pipeline)) },
					],
					valueType: 'currency',
				},
			],
			notes,
		});
	}
}
