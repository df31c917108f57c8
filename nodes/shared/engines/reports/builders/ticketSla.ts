import type { ReportBuilder, ReportContext, ReportTicket } from '../context';
import { delta, HOUR, ratio, round } from '../context';
import { addBusinessMillis, businessMillisBetween } from '../businessHours';
import { Distribution } from '../distribution';
import { bucketOf, inPeriod, toMillis } from '../period';
import type { ReportDocument } from '../types';
import { documentFrame, figure, ownerName } from './common';

const AT_RISK_LIMIT = 500;

class SlaTally {
	tickets = 0;
	responded = 0;
	resolved = 0;
	responseBreaches = 0;
	resolutionBreaches = 0;
	reopened = 0;
	readonly responseHours = new Distribution();
	readonly resolutionHours = new Distribution();

	responseBreachRate() {
		return ratio(this.responseBreaches, this.tickets);
	}

	resolutionBreachRate() {
		return ratio(this.resolutionBreaches, this.tickets);
	}
}

interface AtRisk {
	id: string;
	subject: string;
	priority: string;
	owner: string;
	target: 'first response' | 'resolution';
	dueBy: string;
	hoursLeft: number;
	url?: string;
}

/**
 * Ticket SLA in business hours: time to first response and to resolution against targets per
 * priority. A ticket counts as breached when its time exceeds the target, or when it is still
 * waiting and the target has passed. Reopened tickets are measured to their last close.
 */
export class TicketSlaReport implements ReportBuilder {
	readonly kinds = ['ticket'] as const;
	private readonly total = new SlaTally();
	private readonly before = new SlaTally();
	private readonly groups = new Map<string, { bucket: string; priority: string; owner?: string; tally: SlaTally }>();
	private atRisk: AtRisk[] = [];
	private atRiskCount = 0;

	constructor(private readonly ctx: ReportContext) {}

	private target(kind: 'firstResponse' | 'resolution', priority: string): number | undefined {
		const targets = this.ctx.slaTargets[kind];
		return targets[priority] ?? targets.default;
	}

	private business(from: number, to: number): number {
		return businessMillisBetween(from, to, this.ctx.workingHours) / HOUR;
	}

	add(_kind: string, ticket: ReportTicket): void {
		const opened = toMillis(ticket.openedAt ?? ticket.createdAt);
		if (opened === undefined) return;
		const priority = (ticket.priority ?? 'none').toLowerCase();
		const responded = toMillis(ticket.firstResponseAt);
		const closed = toMillis(ticket.closedAt);
		const frTarget = this.target('firstResponse', priority);
		const resTarget = this.target('resolution', priority);
		const elapsedNow = () => this.business(opened, this.ctx.now);

		if (closed === undefined) this.checkAtRisk(ticket, priority, opened, responded, frTarget, resTarget);

		const tallies: SlaTally[] = [];
		if (inPeriod(opened, this.ctx.period)) {
			const owner = this.ctx.byOwner ? ownerName(this.ctx, ticket.ownerId) : undefined;
			const bucket = bucketOf(opened, this.ctx.grouping, this.ctx.period.timeZone);
			const key = `${bucket}|${priority}|${owner ?? ''}`;
			const group = this.groups.get(key) ?? { bucket, priority, ...(owner !== undefined ? { owner } : {}), tally: new SlaTally() };
			this.groups.set(key, group);
			tallies.push(this.total, group.tally);
		} else if (this.ctx.previous && inPeriod(opened, this.ctx.previous)) {
			tallies.push(this.before);
		}
		if (tallies.length === 0) return;

		const responseHours = responded !== undefined ? this.business(opened, responded) : undefined;
		const resolutionHours = closed !== undefined ? this.business(opened, closed) : undefined;
		const responseBreached =
			frTarget !== undefined && (responseHours !== undefined ? responseHours > frTarget : elapsedNow() > frTarget);
		const resolutionBreached =
			resTarget !== undefined && (resolutionHours !== undefined ? resolutionHours > resTarget : elapsedNow() > resTarget);
		for (const tally of tallies) {
			tally.tickets++;
			if (responseHours !== undefined) {
				tally.responded++;
				tally.responseHours.add(responseHours);
			}
			if (resolutionHours !== undefined) {
				tally.resolved++;
				tally.resolutionHours.add(resolutionHours);
			}
			if (responseBreached) tally.responseBreaches++;
			if (resolutionBreached) tally.resolutionBreaches++;
			if (ticket.reopened) tally.reopened++;
		}
	}

	/** Open tickets past `atRiskShare` of a target they have not yet breached. */
	private checkAtRisk(ticket: ReportTicket, priority: string, opened: number, responded: number | undefined, frTarget?: number, resTarget?: number) {
		const elapsed = this.business(opened, this.ctx.now);
		const check = (target: number | undefined, kind: AtRisk['target']) => {
			if (target === undefined || elapsed > target || elapsed < target * this.ctx.atRiskShare) return false;
			this.atRiskCount++;
			this.atRisk.push({
				id: ticket.id,
				subject: ticket.subject ?? ticket.id,
				priority,
				owner: ownerName(this.ctx, ticket.ownerId),
				target: kind,
				dueBy: new Date(addBusinessMillis(opened, target * HOUR, this.ctx.workingHours)).toISOString(),
				hoursLeft: round(target - elapsed, 2) ?? 0,
				...(ticket.url ? { url: ticket.url } : {}),
			});
			if (this.atRisk.length > AT_RISK_LIMIT * 2) this.trim();
			return true;
		};
		if (responded === undefined && check(frTarget, 'first response')) return;
		check(resTarget, 'resolution');
	}

	private trim() {
		this.atRisk.sort((a, b) => a.hoursLeft - b.hoursLeft || a.id.localeCompare(b.id));
		this.atRisk.length = Math.min(this.atRisk.length, AT_RISK_LIMIT);
	}

	finish(): ReportDocument {
		this.trim();
		const rows = [...this.groups.values()]
			.sort((a, b) => a.bucket.localeCompare(b.bucket) || a.priority.localeCompare(b.priority) || (a.owner ?? '').localeCompare(b.owner ?? ''))
			.map((g) => ({
				...(this.ctx.grouping !== 'none' ? { period: g.bucket } : {}),
				priority: g.priority,
				...(this.ctx.byOwner ? { owner: g.owner ?? '(no owner)' } : {}),
				tickets: g.tally.tickets,
				firstResponseTargetHours: this.target('firstResponse', g.priority) ?? null,
				medianFirstResponseHours: round(g.tally.responseHours.quantile(0.5)),
				p90FirstResponseHours: round(g.tally.responseHours.quantile(0.9)),
				firstResponseBreaches: g.tally.responseBreaches,
				firstResponseBreachRate: round(g.tally.responseBreachRate(), 4),
				resolutionTargetHours: this.target('resolution', g.priority) ?? null,
				medianResolutionHours: round(g.tally.resolutionHours.quantile(0.5)),
				p90ResolutionHours: round(g.tally.resolutionHours.quantile(0.9)),
				resolutionBreaches: g.tally.resolutionBreaches,
				resolutionBreachRate: round(g.tally.resolutionBreachRate(), 4),
				reopened: g.tally.reopened,
			}));
		const t = this.total;
		const b = this.before;
		const compare = this.ctx.previous !== undefined;
		return documentFrame(this.ctx, 'ticketSla', 'Ticket SLA', {
			summary: [
				figure('tickets', 'Tickets opened', t.tickets, 'integer', compare ? delta(t.tickets, b.tickets) : undefined),
				figure('medianFirstResponseHours', 'First response (median, business hours)', round(t.responseHours.quantile(0.5)), 'hours', compare ? delta(round(t.responseHours.quantile(0.5)), round(b.responseHours.quantile(0.5))) : undefined),
				figure('firstResponseBreachRate', 'First response breached', round(t.responseBreachRate(), 4), 'percent', compare ? delta(round(t.responseBreachRate(), 4), round(b.responseBreachRate(), 4)) : undefined),
				figure('medianResolutionHours', 'Resolution (median, business hours)', round(t.resolutionHours.quantile(0.5)), 'hours', compare ? delta(round(t.resolutionHours.quantile(0.5)), round(b.resolutionHours.quantile(0.5))) : undefined),
				figure('resolutionBreachRate', 'Resolution breached', round(t.resolutionBreachRate(), 4), 'percent', compare ? delta(round(t.resolutionBreachRate(), 4), round(b.resolutionBreachRate(), 4)) : undefined),
				figure('atRisk', 'At risk now', this.atRiskCount, 'integer'),
			],
			tables: [
				{
					title: 'SLA by priority',
					columns: [
						...(this.ctx.grouping !== 'none' ? [{ key: 'period', label: 'Period', type: 'text' as const }] : []),
						{ key: 'priority', label: 'Priority', type: 'text' },
						...(this.ctx.byOwner ? [{ key: 'owner', label: 'Owner', type: 'text' as const }] : []),
						{ key: 'tickets', label: 'Tickets', type: 'integer' },
						{ key: 'medianFirstResponseHours', label: 'First response (median)', type: 'hours' },
						{ key: 'firstResponseBreachRate', label: 'Response breached', type: 'percent' },
						{ key: 'medianResolutionHours', label: 'Resolution (median)', type: 'hours' },
						{ key: 'resolutionBreachRate', label: 'Resolution breached', type: 'percent' },
						{ key: 'reopened', label: 'Reopened', type: 'integer' },
					],
					rows,
				},
				{
					title: 'At risk now',
					columns: [
						{ key: 'subject', label: 'Ticket', type: 'text', link: 'url' },
						{ key: 'priority', label: 'Priority', type: 'text' },
						{ key: 'owner', label: 'Owner', type: 'text' },
						{ key: 'target', label: 'Target', type: 'text' },
						{ key: 'dueBy', label: 'Due by', type: 'date' },
						{ key: 'hoursLeft', label: 'Hours left', type: 'hours' },
					],
					rows: this.atRisk.map((r) => ({ ...r })),
				},
			],
			charts: [
				{
					kind: 'bar',
					title: 'Breach rate by priority',
					labels: rows.map((r) => [r.period, r.priority, r.owner].filter((part) => part !== undefined).join(' ')),
					series: [
						{ name: 'First response', values: rows.map((r) => r.firstResponseBreachRate ?? 0) },
						{ name: 'Resolution', values: rows.map((r) => r.resolutionBreachRate ?? 0) },
					],
					valueType: 'percent',
				},
			],
		});
	}
}
