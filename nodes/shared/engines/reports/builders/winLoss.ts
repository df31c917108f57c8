import type { ReportBuilder, ReportContext, ReportDeal } from '../context';
import { DAY, delta, ratio, round } from '../context';
import { Distribution } from '../distribution';
import { bucketOf, inPeriod, toMillis } from '../period';
import type { ReportDocument } from '../types';
import { documentFrame, figure, ownerName } from './common';

class Tally {
	won = 0;
	lost = 0;
	wonAmount = 0;
	readonly cycleDays = new Distribution();

	add(deal: ReportDeal, won: boolean) {
		if (!won) {
			this.lost++;
			return;
		}
		this.won++;
		this.wonAmount += Number(deal.amount ?? 0) || 0;
		const created = toMillis(deal.createdAt);
		const closed = toMillis(deal.closeDate);
		if (created !== undefined && closed !== undefined && closed >= created) this.cycleDays.add((closed - created) / DAY);
	}

	winRate() {
		return ratio(this.won, this.won + this.lost);
	}

	averageDeal() {
		return this.won ? this.wonAmount / this.won : null;
	}
}

/** Win / loss: deals closed in the period; win rate, average won deal, sales cycle (median, p90). */
export class WinLossReport implements ReportBuilder {
	readonly kinds = ['deal'] as const;
	private readonly total = new Tally();
	private readonly before = new Tally();
	private readonly groups = new Map<string, { bucket: string; owner?: string; tally: Tally }>();

	constructor(private readonly ctx: ReportContext) {}

	add(_kind: string, deal: ReportDeal): void {
		if (deal.status !== 'won' && deal.status !== 'lost') return;
		const closed = toMillis(deal.closeDate);
		const won = deal.status === 'won';
		if (this.ctx.previous && inPeriod(closed, this.ctx.previous)) this.before.add(deal, won);
		if (!inPeriod(closed, this.ctx.period)) return;
		this.total.add(deal, won);
		const bucket = bucketOf(closed!, this.ctx.grouping, this.ctx.period.timeZone);
		const owner = this.ctx.byOwner ? ownerName(this.ctx, deal.ownerId) : undefined;
		const key = `${bucket}|${owner ?? ''}`;
		const group = this.groups.get(key) ?? { bucket, ...(owner !== undefined ? { owner } : {}), tally: new Tally() };
		group.tally.add(deal, won);
		this.groups.set(key, group);
	}

	finish(): ReportDocument {
		const rows = [...this.groups.values()]
			.sort((a, b) => a.bucket.localeCompare(b.bucket) || (a.owner ?? '').localeCompare(b.owner ?? ''))
			.map((g) => ({
				period: g.bucket,
				...(this.ctx.byOwner ? { owner: g.owner ?? '(no owner)' } : {}),
				won: g.tally.won,
				lost: g.tally.lost,
				winRate: round(g.tally.winRate(), 4),
				wonAmount: round(g.tally.wonAmount),
				averageDealSize: round(g.tally.averageDeal()),
				medianCycleDays: round(g.tally.cycleDays.quantile(0.5)),
				p90CycleDays: round(g.tally.cycleDays.quantile(0.9)),
			}));
		const t = this.total;
		const b = this.before;
		const compare = this.ctx.previous !== undefined;
		return documentFrame(this.ctx, 'winLoss', 'Win / loss', {
			summary: [
				figure('won', 'Won', t.won, 'integer', compare ? delta(t.won, b.won) : undefined),
				figure('lost', 'Lost', t.lost, 'integer', compare ? delta(t.lost, b.lost) : undefined),
				figure('winRate', 'Win rate', round(t.winRate(), 4), 'percent', compare ? delta(round(t.winRate(), 4), round(b.winRate(), 4)) : undefined),
				figure('averageDealSize', 'Average won deal', round(t.averageDeal()), 'currency', compare ? delta(round(t.averageDeal()), round(b.averageDeal())) : undefined),
				figure('medianCycleDays', 'Sales cycle (median)', round(t.cycleDays.quantile(0.5)), 'days', compare ? delta(round(t.cycleDays.quantile(0.5)), round(b.cycleDays.quantile(0.5))) : undefined),
				figure('p90CycleDays', 'Sales cycle (p90)', round(t.cycleDays.quantile(0.9)), 'days'),
			],
			tables: [
				{
					title: 'Won and lost deals',
					columns: [
						{ key: 'period', label: 'Period', type: 'text' },
						...(this.ctx.byOwner ? [{ key: 'owner', label: 'Owner', type: 'text' as const }] : []),
						{ key: 'won', label: 'Won', type: 'integer' },
						{ key: 'lost', label: 'Lost', type: 'integer' },
						{ key: 'winRate', label: 'Win rate', type: 'percent' },
						{ key: 'wonAmount', label: 'Won amount', type: 'currency' },
						{ key: 'averageDealSize', label: 'Average deal', type: 'currency' },
						{ key: 'medianCycleDays', label: 'Cycle median', type: 'days' },
						{ key: 'p90CycleDays', label: 'Cycle p90', type: 'days' },
					],
					rows,
				},
			],
			charts: [
				{
					kind: 'bar',
					title: 'Won and lost',
					labels: rows.map((r) => (this.ctx.byOwner ? `${r.period} ${String(r.owner)}` : r.period)),
					series: [
						{ name: 'Won', values: rows.map((r) => r.won) },
						{ name: 'Lost', values: rows.map((r) => r.lost) },
					],
					valueType: 'integer',
				},
			],
		});
	}
}
