import type { RecordKind, ReportBuilder, ReportContext, ReportDeal, ReportLead } from '../context';
import { ratio, round } from '../context';
import { inPeriod, toMillis } from '../period';
import type { ReportDocument } from '../types';
import { documentFrame, figure } from './common';

interface Source {
	source: string;
	leads: number;
	qualified: number;
	won: number;
	wonAmount: number;
}

/**
 * Conversion by source: leads created in the period, by lead source (channel), how many were
 * qualified and how many were won. A lead is won when the CRM says so on the lead (HubSpot's
 * lifecycle stage "customer") or when the deal it was converted into is won: deals are read
 * first, keeping only the ids (and amounts) of won deals.
 */
export class ConversionBySourceReport implements ReportBuilder {
	readonly kinds = ['deal', 'lead'] as const;
	private readonly wonDeals = new Map<string, number>();
	private readonly sources = new Map<string, Source>();
	private linked = 0;

	constructor(private readonly ctx: ReportContext) {}

	add(kind: RecordKind, record: ReportDeal | ReportLead): void {
		if (kind === 'deal') {
			const deal = record as ReportDeal;
			if (deal.status === 'won') this.wonDeals.set(deal.id, Number(deal.amount ?? 0) || 0);
			return;
		}
		const lead = record as ReportLead;
		if (!inPeriod(toMillis(lead.createdAt), this.ctx.period)) return;
		const name = String(lead.source ?? '').trim() || '(none)';
		let source = this.sources.get(name);
		if (!source) this.sources.set(name, (source = { source: name, leads: 0, qualified: 0, won: 0, wonAmount: 0 }));
		source.leads++;
		if (lead.convertedDealId) this.linked++;
		const dealAmount = lead.convertedDealId ? this.wonDeals.get(lead.convertedDealId) : undefined;
		const won = lead.won === true || dealAmount !== undefined;
		// A won lead was qualified on the way, whatever its status says now.
		if (lead.qualified || won) source.qualified++;
		if (won) {
			source.won++;
			source.wonAmount += dealAmount ?? 0;
		}
	}

	finish(): ReportDocument {
		const rows = [...this.sources.values()].sort((a, b) => b.leads - a.leads || a.source.localeCompare(b.source));
		const sum = (key: 'leads' | 'qualified' | 'won' | 'wonAmount') => rows.reduce((total, r) => total + r[key], 0);
		const rate = (part: number, whole: number) => round(ratio(part, whole), 4);
		return documentFrame(this.ctx, 'conversionBySource', 'Conversion by source', {
			summary: [
				figure('leads', 'Leads', sum('leads'), 'integer'),
				figure('qualified', 'Qualified', sum('qualified'), 'integer'),
				figure('won', 'Won', sum('won'), 'integer'),
				figure('qualificationRate', 'Lead → qualified', rate(sum('qualified'), sum('leads')), 'percent'),
				figure('winRate', 'Lead → won', rate(sum('won'), sum('leads')), 'percent'),
			],
			tables: [
				{
					title: 'Conversion by source',
					columns: [
						{ key: 'source', label: 'Source', type: 'text' },
						{ key: 'leads', label: 'Leads', type: 'integer' },
						{ key: 'qualified', label: 'Qualified', type: 'integer' },
						{ key: 'won', label: 'Won', type: 'integer' },
						{ key: 'qualificationRate', label: 'Lead → qualified', type: 'percent' },
						{ key: 'qualifiedToWonRate', label: 'Qualified → won', type: 'percent' },
						{ key: 'winRate', label: 'Lead → won', type: 'percent' },
						{ key: 'wonAmount', label: 'Won amount', type: 'currency' },
					],
					rows: rows.map((r) => ({
						source: r.source,
						leads: r.leads,
						qualified: r.qualified,
						won: r.won,
						qualificationRate: rate(r.qualified, r.leads),
						qualifiedToWonRate: rate(r.won, r.qualified),
						winRate: rate(r.won, r.leads),
						wonAmount: round(r.wonAmount),
					})),
				},
			],
			charts: [
				{
					kind: 'bar',
					title: 'Leads, qualified and won by source',
					labels: rows.map((r) => r.source),
					series: [
						{ name: 'Leads', values: rows.map((r) => r.leads) },
						{ name: 'Qualified', values: rows.map((r) => r.qualified) },
						{ name: 'Won', values: rows.map((r) => r.won) },
					],
					valueType: 'integer',
				},
			],
			notes: [
				...(this.linked === 0 && sum('won') === 0 && sum('leads') > 0
					? ['No lead was linked to a deal and none was marked won by the CRM: won counts are 0.']
					: []),
				'Won amount: amount of the won deal a lead was converted into (0 where the CRM marks the lead won without a deal).',
			],
		});
	}
}
