import type { Pipeline, Stage } from '../../nodes/shared/model/types';
import {
	checkTransition,
	parseTransitionGuard,
	resolvePipeline,
	resolveStage,
	validateGuardAgainstPipeline,
} from '../../nodes/shared/engines/stages';
import type { TransitionGuard } from '../../nodes/shared/engines/stages';
import { inputErrorOf } from './expectError';

const stage = (id: string, name: string, order: number, closed: Stage['closed'] = 'open'): Stage => ({
	id,
	name,
	order,
	closed,
});

const sales: Pipeline = {
	id: 'default',
	name: 'Sales Pipeline',
	objectType: 'deal',
	stages: [
		stage('appointmentscheduled', 'New', 0),
		stage('qualifiedtobuy', 'Qualified', 1),
		stage('presentationscheduled', 'Proposal Sent', 2),
		stage('closedwon', 'Won', 3, 'won'),
		stage('closedlost', 'Lost', 4, 'lost'),
	],
};

const renewals: Pipeline = {
	id: '12345',
	name: 'Renewals',
	objectType: 'deal',
	stages: [stage('r1', 'Up For Renewal', 0), stage('r2', 'Renewed', 1, 'won')],
};

const byName = (name: string) => sales.stages.find((s) => s.name === name)!;

/** The guard as plain data, so tests can compare it with toEqual. */
function guardAsObject(guard: TransitionGuard | undefined) {
	if (!guard) return undefined;
	return {
		allowed: Object.fromEntries([...guard.allowed].map(([from, to]) => [from, [...to].sort()])),
		display: Object.fromEntries(guard.display),
	};
}

describe('resolvePipeline', () => {
	const pipelines = [sales, renewals];

	test('finds a pipeline by id', () => {
		expect(resolvePipeline(pipelines, '12345')).toBe(renewals);
		expect(resolvePipeline(pipelines, 'default')).toBe(sales);
	});

	test('finds a pipeline by name, ignoring case and extra whitespace', () => {
		expect(resolvePipeline(pipelines, '  sales   PIPELINE ')).toBe(sales);
		expect(resolvePipeline(pipelines, 'renewals')).toBe(renewals);
	});

	test('an id wins over a name that equals it', () => {
		const tricky: Pipeline = { id: 'p-2', name: '12345', objectType: 'deal', stages: [] };
		expect(resolvePipeline([tricky, renewals], '12345')).toBe(renewals);
	});

	test('an unknown pipeline names the field and lists the valid pipelines with their ids', () => {
		expect(inputErrorOf(() => resolvePipeline(pipelines, 'Enterprise'))).toEqual({
			message: 'Unknown pipeline "Enterprise"',
			field: 'pipeline',
			hint: 'Valid pipelines: "Sales Pipeline" (default), "Renewals" (12345).',
		});
	});

	test('uses the given field name, and says "none found" when there are no pipelines', () => {
		expect(inputErrorOf(() => resolvePipeline([], 'x', 'dealPipeline'))).toEqual({
			message: 'Unknown pipeline "x"',
			field: 'dealPipeline',
			hint: 'Valid pipelines: none found.',
		});
	});
});

describe('resolveStage', () => {
	test('finds a stage by id', () => {
		expect(resolveStage(sales, 'closedwon')).toBe(byName('Won'));
	});

	test('finds a stage by name, ignoring case and whitespace', () => {
		expect(resolveStage(sales, 'proposal sent')).toBe(byName('Proposal Sent'));
		expect(resolveStage(sales, '  PROPOSAL    sent  ')).toBe(byName('Proposal Sent'));
		expect(resolveStage(sales, '\tqualified\n')).toBe(byName('Qualified'));
	});

	test('an id wins over another stage whose name equals that id', () => {
		const pipeline: Pipeline = {
			id: 'p',
			name: 'Tricky',
			objectType: 'deal',
			stages: [stage('s1', 's2', 0), stage('s2', 'Second', 1)],
		};
		expect(resolveStage(pipeline, 's2').name).toBe('Second');
		expect(resolveStage(pipeline, 'S2').id).toBe('s1'); // not an exact id, so the name matches
	});

	test('an unknown stage names the field and lists every stage name', () => {
		expect(inputErrorOf(() => resolveStage(sales, 'Negotiation'))).toEqual({
			message: 'Unknown stage "Negotiation" in pipeline "Sales Pipeline"',
			field: 'stage',
			hint: 'Valid stages: "New", "Qualified", "Proposal Sent", "Won", "Lost".',
		});
	});

	test('uses the given field name', () => {
		expect(inputErrorOf(() => resolveStage(renewals, 'nope', 'targetStage'))).toEqual({
			message: 'Unknown stage "nope" in pipeline "Renewals"',
			field: 'targetStage',
			hint: 'Valid stages: "Up For Renewal", "Renewed".',
		});
	});

	test('an empty or blank stage is its own error, still listing the stages', () => {
		expect(inputErrorOf(() => resolveStage(renewals, '   '))).toEqual({
			message: 'The stage is empty',
			field: 'stage',
			hint: 'Stages of "Renewals": "Up For Renewal", "Renewed".',
		});
	});
});

describe('parseTransitionGuard', () => {
	test('empty or blank text means "no guard"', () => {
		expect(parseTransitionGuard('')).toBeUndefined();
		expect(parseTransitionGuard('  \n ; \n')).toBeUndefined();
	});

	test('a chain with → allows each consecutive move, keyed by normalized name', () => {
		expect(guardAsObject(parseTransitionGuard('New → Qualified → Proposal Sent → Won'))).toEqual({
			allowed: {
				new: ['qualified'],
				qualified: ['proposal sent'],
				'proposal sent': ['won'],
			},
			display: { new: 'New', qualified: 'Qualified', 'proposal sent': 'Proposal Sent', won: 'Won' },
		});
	});

	test('-> works like →, with or without spaces, and names are normalized', () => {
		expect(guardAsObject(parseTransitionGuard('New->Qualified ->  PROPOSAL   Sent'))).toEqual({
			allowed: { new: ['qualified'], qualified: ['proposal sent'] },
			display: { new: 'New', qualified: 'Qualified', 'proposal sent': 'PROPOSAL   Sent' },
		});
	});

	test('several chains, separated by newlines and by ";", are merged', () => {
		const guard = parseTransitionGuard('New → Qualified → Proposal Sent → Won\nProposal Sent → Lost; Qualified -> Lost\n\n');
		expect(guardAsObject(guard)!.allowed).toEqual({
			new: ['qualified'],
			qualified: ['lost', 'proposal sent'],
			'proposal sent': ['lost', 'won'],
		});
	});

	test('"*" as a source is kept as the wildcard key', () => {
		expect(guardAsObject(parseTransitionGuard('New → Won; * → Lost'))!.allowed).toEqual({
			new: ['won'],
			'*': ['lost'],
		});
	});

	test.each([
		['a line without an arrow', 'New → Won\nJust a stage', 'Just a stage'],
		['a chain with an empty step', 'New → → Won', 'New → → Won'],
		['a chain ending in an arrow', 'New →', 'New →'],
		['a chain starting with an arrow', '-> Won', '-> Won'],
	])('%s is rejected on the allowedTransitions field', (_label, text, badLine) => {
		expect(inputErrorOf(() => parseTransitionGuard(text))).toEqual({
			message: `The allowed transitions line "${badLine}" is not a chain of stages`,
			field: 'allowedTransitions',
			hint: 'Write chains like "Qualified → Proposal → Won", one per line.',
		});
	});
});

describe('validateGuardAgainstPipeline', () => {
	test('passes when every named stage exists (by name or id, any case) and ignores "*"', () => {
		const guard = parseTransitionGuard('new → QUALIFIED → presentationscheduled → Won\n* → Lost')!;
		expect(() => validateGuardAgainstPipeline(guard, sales)).not.toThrow();
	});

	test('a typo in a stage name fails, naming it as written and listing the valid stages', () => {
		const guard = parseTransitionGuard('New → Qualifed → Won')!;
		expect(inputErrorOf(() => validateGuardAgainstPipeline(guard, sales))).toEqual({
			message: 'The allowed transitions name a stage "Qualifed" that pipeline "Sales Pipeline" does not have',
			field: 'allowedTransitions',
			hint: 'Valid stages: "New", "Qualified", "Proposal Sent", "Won", "Lost".',
		});
	});

	test('a stage of another pipeline fails too', () => {
		const guard = parseTransitionGuard('Up For Renewal → Won')!;
		expect(inputErrorOf(() => validateGuardAgainstPipeline(guard, sales)).message).toBe(
			'The allowed transitions name a stage "Up For Renewal" that pipeline "Sales Pipeline" does not have',
		);
	});
});

describe('checkTransition', () => {
	const guard = parseTransitionGuard('New → Qualified → Proposal Sent → Won\nProposal Sent → Lost')!;

	test('allows a move the guard lists', () => {
		expect(() => checkTransition(guard, byName('New'), byName('Qualified'))).not.toThrow();
		expect(() => checkTransition(guard, byName('Proposal Sent'), byName('Lost'))).not.toThrow();
	});

	test('staying in the same stage is always allowed', () => {
		expect(() => checkTransition(guard, byName('Won'), byName('Won'))).not.toThrow();
		expect(() => checkTransition(guard, byName('New'), byName('New'))).not.toThrow();
	});

	test('a record with no current stage may go anywhere', () => {
		expect(() => checkTransition(guard, undefined, byName('Won'))).not.toThrow();
	});

	test('a disallowed jump names both stages and lists the allowed targets as written', () => {
		expect(inputErrorOf(() => checkTransition(guard, byName('New'), byName('Won')))).toEqual({
			message: 'Moving from "New" to "Won" is not an allowed transition',
			field: 'stage',
			hint: 'Allowed from "New": "Qualified".',
		});
		expect(inputErrorOf(() => checkTransition(guard, byName('Proposal Sent'), byName('New'))).hint).toBe(
			'Allowed from "Proposal Sent": "Won", "Lost".',
		);
	});

	test('a stage the guard gives no exit gets a "no way out" message', () => {
		expect(inputErrorOf(() => checkTransition(guard, byName('Won'), byName('Lost')))).toEqual({
			message: 'Moving from "Won" to "Lost" is not an allowed transition',
			field: 'stage',
			hint: 'The allowed transitions give no way out of "Won".',
		});
	});

	test('"* → X" allows X from every stage, and X shows among the allowed targets', () => {
		const withWildcard = parseTransitionGuard('New → Qualified; * → Lost')!;
		expect(() => checkTransition(withWildcard, byName('Won'), byName('Lost'))).not.toThrow();
		expect(() => checkTransition(withWildcard, byName('New'), byName('Lost'))).not.toThrow();
		expect(inputErrorOf(() => checkTransition(withWildcard, byName('New'), byName('Won'))).hint).toBe(
			'Allowed from "New": "Qualified", "Lost".',
		);
		expect(inputErrorOf(() => checkTransition(withWildcard, byName('Won'), byName('New'))).hint).toBe(
			'Allowed from "Won": "Lost".',
		);
	});

	test('a guard written with stage ids matches stages by id', () => {
		const byId = parseTransitionGuard('appointmentscheduled → qualifiedtobuy')!;
		expect(() => checkTransition(byId, byName('New'), byName('Qualified'))).not.toThrow();
		expect(inputErrorOf(() => checkTransition(byId, byName('New'), byName('Won'))).hint).toBe(
			'Allowed from "New": "qualifiedtobuy".',
		);
	});

	test('names in the guard match stages regardless of case and spacing', () => {
		const loose = parseTransitionGuard('qualified -> proposal   SENT')!;
		expect(() => checkTransition(loose, byName('Qualified'), byName('Proposal Sent'))).not.toThrow();
	});
});
