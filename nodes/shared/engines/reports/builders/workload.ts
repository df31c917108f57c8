import type { RecordKind, ReportBuilder, ReportContext, ReportDeal, ReportTask, ReportTicket } from '../context';
import { inPeriod, toMillis } from '../period';
import type { ReportDocument } from '../types';
import { documentFrame, figure, ownerName } from './common';

interface OwnerLoad {
	owner: string;
	openTasks: number;
	overdueTasks: number;
	tasksCompleted: number;
	dealsWon: number;
	ticketsClosed: number;
}

/** Team workload per owner: open and overdue tasks now; tasks completed, deals won, tickets closed in the period. */
export class TeamWorkloadReport implements ReportBuilder {
	readonly kinds = ['task', 'deal', 'ticket'] as const;
	private readonly owners = new Map<string, OwnerLoad>();

	constructor(private readonly ctx: ReportContext) {}

	private load(ownerId: string | undefined): OwnerLoad {
		const owner = ownerName(this.ctx, ownerId);
		let load = this.owners.get(owner);
		if (!load) {
			load = { owner, openTasks: 0, overdueTasks: 0, tasksCompleted: 0, dealsWon: 0, ticketsClosed: 0 };
			this.owners.set(owner, load);
		}
		return load;
	}

	add(kind: RecordKind, record: ReportDeal | ReportTicket | ReportTask): void {
		if (kind === 'task') {
			const task = record as ReportTask;
			if ((task.status ?? 'open') === 'open') {
				const load = this.load(task.ownerId);
				load.openTasks++;
				const due = toMillis(task.dueAt);
				if (due !== undefined && due < this.ctx.now) load.overdueTasks++;
			} else if (inPeriod(toMillis(task.completedAt ?? task.updatedAt), this.ctx.period)) {
				this.load(task.ownerId).tasksCompleted++;
			}
		} else if (kind === 'deal') {
			const deal = record as ReportDeal;
			if (deal.status === 'won' && inPeriod(toMillis(deal.closeDate), this.ctx.period)) this.load(deal.ownerId).dealsWon++;
		} else {
			const ticket = record as ReportTicket;
			if (inPeriod(toMillis(ticket.closedAt), this.ctx.period)) this.load(ticket.ownerId).ticketsClosed++;
		}
	}

	finish(): ReportDocument {
		const rows = [...this.owners.values()].sort((a, b) => b.openTasks - a.openTasks || a.owner.localeCompare(b.owner));
		const sum = (key: keyof Omit<OwnerLoad, 'owner'>) => rows.reduce((total, r) => total + r[key], 0);
		return documentFrame(this.ctx, 'teamWorkload', 'Team workload', {
			summary: [
				figure('openTasks', 'Open tasks', sum('openTasks'), 'integer'),
				figure('overdueTasks', 'Overdue tasks', sum('overdueTasks'), 'integer'),
				figure('tasksCompleted', 'Tasks completed', sum('tasksCompleted'), 'integer'),
				figure('dealsWon', 'Deals won', sum('dealsWon'), 'integer'),
				figure('ticketsClosed', 'Tickets closed', sum('ticketsClosed'), 'integer'),
			],
			tables: [
				{
					title: 'Workload by owner',
					columns: [
						{ key: 'owner', label: 'Owner', type: 'text' },
						{ key: 'openTasks', label: 'Open tasks', type: 'integer' },
						{ key: 'overdueTasks', label: 'Overdue', type: 'integer' },
						{ key: 'tasksCompleted', label: 'Tasks completed', type: 'integer' },
						{ key: 'dealsWon', label: 'Deals won', type: 'integer' },
						{ key: 'ticketsClosed', label: 'Tickets closed', type: 'integer' },
					],
					rows: rows.map((r) => ({ ...r })),
				},
			],
			charts: [
				{
					kind: 'bar',
					title: 'Open and overdue tasks',
					labels: rows.map((r) => r.owner),
					series: [
						{ name: 'Open', values: rows.map((r) => r.openTasks) },
						{ name: 'Overdue', values: rows.map((r) => r.overdueTasks) },
					],
					valueType: 'integer',
				},
			],
		});
	}
}
