import type { Deal, Lead, Pipeline, Stage, Task, Ticket } from '../../model/types';
import type { WorkingHours } from './businessHours';
import type { Grouping, Period } from './period';
import type { ReportDocument } from './types';

/** A deal as reports read it: the normalized deal plus, where the CRM keeps it, stage history. */
export type ReportDeal = Partial<Deal> & {
	id: string;
	/** When the deal entered each stage it went through (any order). */
	stageHistory?: Array<{ stageId: string; enteredAt: number }>;
};

export type ReportTicket = Partial<Ticket> & { id: string; reopened?: boolean | number };

export type ReportTask = Partial<Task> & { id: string; completedAt?: string };

export type ReportLead = Partial<Lead> & { id: string };

export type RecordKind = 'deal' | 'ticket' | 'task' | 'lead';

export type AnyReportRecord = ReportDeal | ReportTicket | ReportTask | ReportLead;

/** Forecast settings: probability thresholds of the buckets and quotas per owner. */
export interface ForecastSettings {
	/** Stage probability (0..1) from which an open deal counts as commit (when the CRM has no forecast category). */
	commitFrom: number;
	/** Stage probability (0..1) from which an open deal counts as best case. */
	bestCaseFrom: number;
	/** Quota per owner for the period; keys are owner ids, names or emails (lower-case). */
	quotas: Map<string, number>;
}

export interface ReportContext {
	period: Period;
	previous?: Period;
	grouping: Grouping;
	/** Report "now" (ms): open-age, overdue and at-risk are measured against it. */
	now: number;
	currency?: string;
	pipelines: Pipeline[];
	/** Owner id → display name, where known. */
	owners: Map<string, string>;
	/** Group rows by owner as well. */
	byOwner: boolean;
	workingHours: WorkingHours;
	/** Ticket SLA targets in business hours, by priority (lower-case) or `default`. */
	slaTargets: { firstResponse: Record<string, number>; resolution: Record<string, number> };
	/** Share of the target after which an open ticket counts as at risk (0..1). */
	atRiskShare: number;
	/** Stage velocity: a deal in one stage longer than this is stalled. */
	stalledDays: number;
	/** Workflow effectiveness: allowed hours per stage (by stage name or id). */
	allowedHoursByStage: Record<string, number>;
	/** Workflow effectiveness: cost of one person-hour. */
	costPerHour?: number;
	includeClosedDeals: boolean;
	/** Forecast report settings (defaults: commit from 70 %, best case from 40 %, no quotas). */
	forecast?: ForecastSettings;
	/** Stale deals: an open deal with no activity for this many days is stale (default 14). */
	staleDays?: number;
	/** Reports listing single records keep at most this many rows (the worst first); counts stay exact. */
	maxRows?: number;
	/** Owner id → other names a quota may be keyed by (email), lower-case. */
	ownerAliases?: Map<string, string[]>;
}

/** A report builder sees records one at a time and keeps only per-group aggregates. */
export interface ReportBuilder {
	readonly kinds: readonly RecordKind[];
	/** Whether deals must come with stage history (funnel, velocity, effectiveness). */
	readonly needsStageHistory?: boolean;
	/** Whether deals must come with field history (close-date changes, last activity). */
	readonly needsHistory?: boolean;
	add(kind: RecordKind, record: AnyReportRecord): void;
	finish(): ReportDocument;
}

export function stageLookup(pipelines: Pipeline[]): (pipelineId: string | undefined, stageId: string | undefined) => { pipeline?: Pipeline; stage?: Stage } {
	const byPipeline = new Map(pipelines.map((p) => [p.id, p]));
	return (pipelineId, stageId) => {
		const pipeline = pipelineId ? byPipeline.get(pipelineId) : pipelines.find((p) => p.stages.some((s) => s.id === stageId));
		const stage = pipeline?.stages.find((s) => s.id === stageId || s.name === stageId);
		return { pipeline, stage };
	};
}

export const round = (value: number | null | undefined, digits = 2): number | null =>
	value === null || value === undefined || !Number.isFinite(value) ? null : Math.round(value * 10 ** digits) / 10 ** digits;

export const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Change from the previous period, as a number (null when there is nothing to compare). */
export function delta(current: number | null, previous: number | null | undefined): number | null {
	if (current === null || previous === null || previous === undefined) return null;
	return round(current - previous, 4);
}
