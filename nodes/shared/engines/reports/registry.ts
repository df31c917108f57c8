import { CrmInputError } from '../../transport/errors';
import type { RecordKind, ReportBuilder, ReportContext } from './context';
import { WorkflowEffectivenessReport } from './builders/effectiveness';
import { FunnelReport } from './builders/funnel';
import { PipelineReport } from './builders/pipeline';
import { TicketSlaReport } from './builders/ticketSla';
import { StageVelocityReport } from './builders/velocity';
import { WinLossReport } from './builders/winLoss';
import { TeamWorkloadReport } from './builders/workload';
import { ForecastReport } from './builders/forecast';
import { RepLeaderboardReport } from './builders/leaderboard';
import { ConversionBySourceReport } from './builders/conversion';
import { StaleDealsReport } from './builders/staleDeals';

export type ReportKind =
	| 'pipeline'
	| 'funnel'
	| 'winLoss'
	| 'stageVelocity'
	| 'ticketSla'
	| 'teamWorkload'
	| 'workflowEffectiveness'
	| 'forecast'
	| 'repLeaderboard'
	| 'conversionBySource'
	| 'staleDeals';

export const REPORT_KINDS: readonly ReportKind[] = [
	'pipeline',
	'funnel',
	'winLoss',
	'stageVelocity',
	'ticketSla',
	'teamWorkload',
	'workflowEffectiveness',
	'forecast',
	'repLeaderboard',
	'conversionBySource',
	'staleDeals',
];

/** Whose pipelines (stage lists) a report reads. */
export function pipelineResourceOf(kind: ReportKind, process: 'deal' | 'ticket'): RecordKind | undefined {
	if (kind === 'ticketSla' || kind === 'teamWorkload' || kind === 'repLeaderboard' || kind === 'conversionBySource') return undefined;
	if (kind === 'workflowEffectiveness') return process;
	return 'deal';
}

export function createReport(kind: ReportKind, ctx: ReportContext, process: 'deal' | 'ticket' = 'deal'): ReportBuilder {
	switch (kind) {
		case 'pipeline':
			return new PipelineReport(ctx);
		case 'funnel':
			return new FunnelReport(ctx);
		case 'winLoss':
			return new WinLossReport(ctx);
		case 'stageVelocity':
			return new StageVelocityReport(ctx);
		case 'ticketSla':
			return new TicketSlaReport(ctx);
		case 'teamWorkload':
			return new TeamWorkloadReport(ctx);
		case 'workflowEffectiveness':
			return new WorkflowEffectivenessReport(ctx, [process]);
		case 'forecast':
			return new ForecastReport(ctx);
		case 'repLeaderboard':
			return new RepLeaderboardReport(ctx);
		case 'conversionBySource':
			return new ConversionBySourceReport(ctx);
		case 'staleDeals':
			return new StaleDealsReport(ctx);
		default:
			throw new CrmInputError(`"${String(kind)}" is not a report`, 'report', `Reports: ${REPORT_KINDS.join(', ')}.`);
	}
}
