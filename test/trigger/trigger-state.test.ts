import { checkState } from '../../nodes/shared/engines/events/poller';

describe('checkState: the trigger does not trust, or silently replace, a lost position', () => {
	const good = { v: 1, watermark: 1_700_000_000_000, seen: { 'lead:1': 1_700_000_000_000 } };

	test('a valid state is used as it is', () => {
		expect(checkState(good, true)).toEqual({ state: good });
		expect(checkState(good, false)).toEqual({ state: good });
	});

	test('no state on a first activation is normal', () => {
		expect(checkState(undefined, false)).toEqual({});
	});

	test('no state when n8n resumes an already active workflow is reported', () => {
		expect(checkState(undefined, true).problem).toBe('has no saved position although its workflow was already active when n8n started');
	});

	test.each([
		['another version', { ...good, v: 2 }],
		['a watermark that is not a number', { ...good, watermark: '2026-01-01' }],
		['no seen keys', { v: 1, watermark: 5 }],
		['a seen key without a time', { ...good, seen: { 'lead:1': null } }],
		['not an object', 'cursor'],
	])('a damaged state (%s) is reported, not used', (_label, raw) => {
		const check = checkState(raw, false);
		expect(check.state).toBeUndefined();
		expect(check.problem).toMatch(/^found its saved position damaged \(/);
	});
});
