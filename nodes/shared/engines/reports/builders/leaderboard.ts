import type { RecordKind, ReportBuilder, ReportContext, ReportDeal, ReportTask } from '../context';
import { round } from '../context';
import { inPeriod, toMillis } from '../period';
import type { ReportDocument } from '../types';
import { documentFrame, figure, ownerName } from './common';

interface Rep {
	owner: string;
	calls: number;
	meetings: number;
	emails: number;
	tasksDone: number;
	overdueTasks: number;
	dealsCreated: number;
	dealsWon: number;
	wonAmount: number;
}

type Counter = Exclude<keyof Rep, 'owner'>;

/** Which counter a completed activity adds to, by the task's kind (unset: a to-do). */
const DONE: Record<string, Counter> = { call: 'calls', meeting: 'meetings', email: 'emails', task: 'tasksDone' };

/**
 * Rep leaderboard: per owner, calls, meetings and emails logged (completed in the period, by the
 * task's kind where the CRM records it), to-dos done, tasks overdue now, deals created and won in
 * the period. Ranked by won amount, then deals won, then activities.
 */
export class RepLeaderboardReport implements ReportBuilder {
	readonly kinds = ['task', 'deal'] as const;
	private readonly reps = new Map<string, Rep>();
	private typed = 0;

	constructor(private readonly ctx: ReportContext) {}

	private rep(ownerId: string | undefined): Rep {
		const owner = ownerName(this.ctx, ownerId);
		let rep = this.reps.get(owner);
		if (!rep) {
			rep = { owner, calls: 0, meetings: 0, emails: 0, tasksDone: 0, overdueTasks: 0, dealsCreated: 0, dealsWon: 0, wonAmount: 0 };
			this.reps.set(owner, rep);
		}
		return rep;
	}

	add(kind: RecordKind, record: ReportTask | ReportDeal): void {
		if (kind === 'task') {
			const task = record as ReportTask;
			if (task.kind && task.kind !== 'task') this.typed++;
			if ((task.status ?? 'open') === 'open') {
				const due = toMillis(task.dueAt);
				if (due !== undefined && due < this.ctx.now) this.rep(task.ownerId).overdueTasks++;
			} else if (inPeriod(toMillis(task.completedAt ?? task.dueAt ?? task.updatedAt), this.ctx.period)) {
				this.rep(task.ownerId)[DONE[task.kind ?? 'task'] ?? 'tasksDone']++;
			}
			return;
		}
		const deal = record as ReportDeal;
		if (inPeriod(toMillis(deal.createdAt), this.ctx.period)) this.rep(deal.ownerId).dealsCreated++;
		if (deal.status === 'won' && inPeriod(toMillis(deal.closeDate), this.ctx.period)) {
			const rep = this.rep(deal.ownerId);
			rep.dealsWon++;
			rep.wonAmount += Number(deal.amount ?? 0) || 0;
		}
	}

	finish(): ReportDocument {
		const activities = (r: Rep) => r.calls + r.meetings + r.emails + r.tasksDone;
		const reps = [...this.reps.values()].sort(
			(a, b) => b.wonAmount - a.wonAmount || b.dealsWon - a.dealsWon || activities(b) - activities(a) || a.owner.localeCompare(b.owner),
		);
		const sum = (key: Counter) => reps.reduce((total, r) => total + r[key], 0);
		const notes = this.typed === 0 ? ['No task carried a call, meeting or email type: every completed task counts as a to-do done.'] : [];
		return documentFrame(this.ctx, 'repLeaderboard', 'Rep leaderboard', {
			summary: [
				figure('calls', 'Calls', sum('calls'), 'integer'),
				figure('meetings', 'Meetings', sum('meetings'), 'integer'),
				figure('emails', 'Emails', sum('emails'), 'integer'),
				figure('tasksDone', 'Tasks done', sum('tasksDone'), 'integer'),
				figure('overdueTasks', 'Tasks overdue', sum('overdueTasks'), 'integer'),
				figure('dealsCreated', 'Deals created', sum('dealsCreated'), 'integer'),
				figure('dealsWon', 'Deals won', sum('dealsWon'), 'integer'),
				figure('wonAmount', 'Won amount', round(sum('wonAmount')), 'currency'),
			],
			tables: [
				{
					title: 'Leaderboard',
					columns: [
						{ key: 'rank', label: '#', type: 'integer' },
						{ key: 'owner', label: 'Owner', type: 'text' },
						{ key: 'calls', label: 'Calls', type: 'integer' },
						{ key: 'meetings', label: 'Meetings', type: 'integer' },
						{ key: 'emails', label: 'Emails', type: 'integer' },
						{ key: 'tasksDone', label: 'Tasks done', type: 'integer' },
						{ key: 'overdueTasks', label: 'Overdue', type: 'integer' },
						{ key: 'dealsCreated', label: 'Deals created', type: 'integer' },
						{ key: 'dealsWon', label: 'Deals won', type: 'integer' },
						{ key: 'wonAmount', label: 'Won amount', type: 'currency' },
					],
					rows: reps.map((r, i) => ({ rank: i + 1, ...r, wonAmount: round(r.wonAmount) })),
				},
			],
			charts: [
				{
					kind: 'bar',
					title: 'Activities by owner',
					labels: reps.map((r) => r.owner),
					series: [
						{ name: 'Calls', values: reps.map((r) => r.calls) },
						{ name: 'Meetings', values: reps.map((r) => r.meetings) },
						{ name: 'Emails', values: reps.map((r) => r.emails) },
						{ name: 'Tasks done', values: reps.map((r) => r.tasksDone) },
					],
					valueType: 'integer',
				},
			],
			notes,
		});
	}
}
