import type { RecordKind, ReportBuilder, ReportContext, ReportDeal } from '../context';
import { DAY, ratio, round, stageLookup } from '../context';
import { toMillis } from '../period';
import type { CellValue, ReportDocument } from '../types';
import { documentFrame, figure, ownerName } from './common';
import { DEFAULT_MAX_ROWS, TopRows } from './topRows';

interface Flagged {
	id: string;
	name: string;
	owner: string;
	stage: string;
	amount: number | null;
	closeDate: string | null;
	lastActivityAt: string | null;
	daysSinceActivity: number;
	stale: boolean;
	originalCloseDate: string | null;
	slippedDays: number | null;
	closeDateMoves: number;
	url: string | null;
}

const dateOnly = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString().slice(0, 10));

/**
 * Stale deals and slipping close dates: open deals with no activity for `staleDays` days, and
 * open deals whose close date was moved later than it first was (from the CRM's field history,
 * where it keeps one). One row per flagged deal, linked to the deal in the CRM; the worst first.
 */
export class StaleDealsReport implements ReportBuilder {
	readonly kinds = ['deal'] as const;
	readonly needsHistory = true;
	private readonly rows: TopRows<Flagged>;
	private readonly locate;
	private readonly staleDays: number;
	private open = 0;
	private stale = 0;
	private slipped = 0;
	private slippedAmount = 0;
	private maxDays = 0;
	private withActivityTime = 0;
	private withHistory = 0;

	constructor(private readonly ctx: ReportContext) {
		this.locate = stageLookup(ctx.pipelines);
		this.staleDays = ctx.staleDays ?? 14;
		this.rows = new TopRows(ctx.maxRows ?? DEFAULT_MAX_ROWS, (a, b) => b.daysSinceActivity - a.daysSinceActivity || (b.slippedDays ?? 0) - (a.slippedDays ?? 0) || a.id.localeCompare(b.id));
	}

	add(_kind: RecordKind, deal: ReportDeal): void {
		if (deal.status && deal.status !== 'open') return;
		this.open++;
		const activity = toMillis(deal.lastActivityAt);
		if (activity !== undefined) this.withActivityTime++;
		// No activity ever logged: the deal has been idle since it was created.
		const since = activity ?? toMillis(deal.createdAt);
		const days = since === undefined ? 0 : Math.max(0, Math.floor((this.ctx.now - since) / DAY));
		const stale = since !== undefined && days >= this.staleDays;
		this.maxDays = Math.max(this.maxDays, days);
		const history = deal.closeDateHistory;
		if (history) this.withHistory++;
		const close = toMillis(deal.closeDate);
		const first = history?.length ? toMillis(history[0].closeDate) : undefined;
		const slippedMs = close !== undefined && first !== undefined && close > first ? close - first : 0;
		const moves = history ? history.filter((h, i) => i > 0 && (toMillis(h.closeDate) ?? 0) > (toMillis(history[i - 1].closeDate) ?? 0)).length : 0;
		if (!stale && slippedMs === 0) return;
		const amount = Number(deal.amount ?? 0) || 0;
		if (stale) this.stale++;
		if (slippedMs > 0) {
			this.slipped++;
			this.slippedAmount += amount;
		}
		const { stage } = this.locate(deal.pipelineId, deal.stageId);
		this.rows.add({
			id: deal.id,
			name: deal.name ?? deal.id,
			owner: ownerName(this.ctx, deal.ownerId),
			stage: stage?.name ?? deal.stageName ?? deal.stageId ?? '',
			amount: deal.amount === undefined ? null : amount,
			closeDate: dateOnly(close),
			lastActivityAt: dateOnly(activity),
			daysSinceActivity: days,
			stale,
			originalCloseDate: slippedMs > 0 ? dateOnly(first) : null,
			slippedDays: slippedMs > 0 ? Math.round(slippedMs / DAY) : null,
			closeDateMoves: moves,
			url: deal.url ?? null,
		});
	}

	finish(): ReportDocument {
		const notes: string[] = [];
		if (this.open > 0 && this.withActivityTime === 0) notes.push('The CRM gave no last-activity time: days are counted from when each deal was created.');
		if (this.open > 0 && this.withHistory === 0) notes.push('The CRM keeps no close-date history for these deals: slipping close dates cannot be shown.');
		if (this.rows.truncated) notes.push(`${this.rows.offered} deals flagged; the ${this.rows.list().length} idle longest are listed.`);
		const rows: Array<Record<string, CellValue>> = this.rows.list().map((r) => ({ ...r, stale: r.stale ? 'yes' : 'no' }));
		return documentFrame(this.ctx, 'staleDeals', 'Stale deals and slipping close dates', {
			summary: [
				figure('openDeals', 'Open deals', this.open, 'integer'),
				figure('staleDeals', `No activity for ${this.staleDays}+ days`, this.stale, 'integer'),
				figure('staleShare', 'Share stale', round(ratio(this.stale, this.open), 4), 'percent'),
				figure('maxDaysSinceActivity', 'Longest without activity', this.maxDays, 'days'),
				figure('slippedDeals', 'Close date moved out', this.slipped, 'integer'),
				figure('slippedAmount', 'Amount slipping', round(this.slippedAmount), 'currency'),
			],
			tables: [
				{
					title: 'Deals to look at',
					columns: [
						{ key: 'name', label: 'Deal', type: 'text', link: 'url' },
						{ key: 'owner', label: 'Owner', type: 'text' },
						{ key: 'stage', label: 'Stage', type: 'text' },
						{ key: 'amount', label: 'Amount', type: 'currency' },
						{ key: 'lastActivityAt', label: 'Last activity', type: 'date' },
						{ key: 'daysSinceActivity', label: 'Idle days', type: 'integer' },
						{ key: 'closeDate', label: 'Close date', type: 'date' },
						{ key: 'originalCloseDate', label: 'First close date', type: 'date' },
						{ key: 'slippedDays', label: 'Slipped days', type: 'integer' },
					],
					rows,
				},
			],
			charts: [
				{
					kind: 'bar',
					title: 'Idle days of the deals listed',
					labels: rows.slice(0, 15).map((r) => String(r.name)),
					series: [{ name: 'Idle days', values: rows.slice(0, 15).map((r) => Number(r.daysSinceActivity)) }],
					valueType: 'integer',
				},
			],
			notes,
		});
	}
}
