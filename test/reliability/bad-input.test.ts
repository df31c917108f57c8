/* eslint-disable */
// Hostile and invalid input on HubSpot, Salesforce and EspoCRM through the CRM node: every value is
// refused before anything is written (never turned into another value: "No Such Thing 42" is not
// 2042-01-01, "12345" not the year 12345, "abc" not `LIMIT NaN`), and the error names the item,
// the field and what would be valid, with no "[object Object]", "NaN" or crash.
import type { IDataObject } from 'n8n-workflow';

import { newTargets, resetTarget, runStep, startTarget, stopTarget } from './harness';
import type { Target } from './harness';

jest.setTimeout(180_000);

interface Case {
	label: string;
	parameters: (ids: { deal: string; ticket: string; lead: string }) => IDataObject;
	field: string;
	error: RegExp;
	hint?: RegExp;
	only?: Target['name'];
}

const dealUpdate = (fields: IDataObject) => (ids: { deal: string }) => ({ resource: 'deal', operation: 'update', recordId: ids.deal, fields });

const CASES: Case[] = [
	...['No Such Thing 42', '12345', '-1', '2026-02-30', '2026-12-01T25:00:00Z'].map((value) => ({
		label: `close date ${JSON.stringify(value)}`,
		parameters: dealUpdate({ closeDate: value }),
		field: 'closeDate',
		error: /is not a date/,
		hint: /ISO date/,
	})),
	...['ten euros', 'NaN', '1e999', '12abc'].map((value) => ({ label: `amount ${JSON.stringify(value)}`, parameters: dealUpdate({ amount: value }), field: 'amount', error: /is not a number/, hint: /Use a number/ })),
	{ label: 'amount as an object', parameters: dealUpdate({ amount: { value: 10 } }), field: 'amount', error: /^\{"value":10\} is not a number/ },
	{ label: 'unknown owner id', parameters: dealUpdate({ ownerId: '999999999' }), field: 'ownerId', error: /is not the id of a .* user/, hint: /Valid user ids: / },
	{ label: 'unknown ticket priority', parameters: (ids) => ({ resource: 'ticket', operation: 'update', recordId: ids.ticket, fields: { priority: 'urgent!!' } }), field: 'priority', error: /"urgent!!" is not a/, hint: /Valid: / },
	{ label: 'search limit "abc"', parameters: () => ({ resource: 'deal', operation: 'search', returnAll: false, limit: '={{ "abc" }}' }), field: 'limit', error: /"abc" is not a limit/, hint: /whole number/ },
	{ label: 'search limit 0', parameters: () => ({ resource: 'deal', operation: 'search', returnAll: false, limit: 0 }), field: 'limit', error: /is not a limit/, hint: /at least 1/ },
	{
		label: 'From that is not an email',
		parameters: (ids) => ({ resource: 'message', operation: 'send', channel: 'email', delivery: 'log', relatedType: 'lead', relatedId: ids.lead, subject: 'Hi', body: 'Hello', options: { from: 'Sales Team', to: 'lead@bad-input.test' } }),
		field: 'from',
		error: /"Sales Team" is not a valid email address/,
		hint: /ana@example.com/,
	},
	{ label: 'EspoCRM search text "*"', parameters: () => ({ resource: 'deal', operation: 'search', searchText: '*', returnAll: true }), field: 'searchText', error: /contains "\*"/, only: 'espocrm' },
];

/** Requests that change something in the CRM (reads by POST excluded). */
const WRITE = /batch\/(create|update|upsert|archive)$|\/composite\/sobjects$|\/MassAction$|\/crm\/v3\/objects\/(emails|notes|tasks)$/;
const isWrite = (e: { method: string; path: string }) => e.method === 'PATCH' || e.method === 'PUT' || e.method === 'DELETE' || (e.method === 'POST' && (WRITE.test(e.path) || /^\/api\/v1\/(?!MassAction)[A-Z]\w*$/.test(e.path)));

const figures: string[] = [];
afterAll(() => console.log(`Bad input:\n${figures.join('\n')}`));

describe.each(newTargets().map((t) => [t.name, t] as const))('%s', (_name, target) => {
	let ids: { deal: string; ticket: string; lead: string };
	beforeAll(() => startTarget(target));
	afterAll(() => stopTarget(target));
	beforeEach(async () => {
		await resetTarget(target);
		target.sandbox.useExampleProcess();
		ids = {
			deal: target.sandbox.createDeal('Bad input deal', 'Appointment scheduled', 100),
			ticket: target.sandbox.createTicket('Bad input ticket'),
			lead: target.sandbox.createLead({ email: 'lead@bad-input.test', lastName: 'Lead' }),
		};
	});

	const cases = CASES.filter((c) => !c.only || c.only === target.name);
	test(`${cases.length} invalid values are refused before any write, naming the item, the field and what is valid`, async () => {
		let refused = 0;
		for (const c of cases) {
			target.proxy.clear();
			const stopped = await runStep(target, c.parameters(ids), [{}]);
			const continued = await runStep(target, c.parameters(ids), [{}], { continueOnFail: true });
			const item = continued.output[0];
			const context = `${target.name} ${c.label}: ${JSON.stringify(item)}`;
			expect([context, stopped.error?.message]).toEqual([context, expect.stringMatching(/^Item 0: /)]);
			expect([context, item.field]).toEqual([context, c.field]);
			expect([context, String(item.error)]).toEqual([context, expect.stringMatching(c.error)]);
			if (c.hint) expect([context, String(item.hint)]).toEqual([context, expect.stringMatching(c.hint)]);
			// (The value "NaN" typed by the user may be quoted back; a NaN of ours may not appear.)
			expect(JSON.stringify(item).split('\\"NaN\\"').join('')).not.toMatch(/\[object Object\]|\bNaN\b|is not a function|undefined/);
			expect([context, target.proxy.log.filter(isWrite)]).toEqual([context, []]);
			expect(target.proxy.log.some((e) => /LIMIT%20NaN|LIMIT\+NaN/.test(e.path))).toBe(false);
			refused++;
		}
		figures.push(`${target.name}: ${refused} of ${cases.length} invalid values refused before any write`);
		if (target.name === 'hubspot') expect(target.sandbox.dealStage(ids.deal)).toBe('Appointment scheduled');
	});

	test('"__proto__" or "constructor" as an object type is a clear error, not a crash', async () => {
		for (const objectType of ['__proto__', 'constructor', 'toString']) {
			const run = await runStep(target, { resource: 'pipeline', operation: 'getAll', objectType }, [{}], { continueOnFail: true });
			const item = run.output[0];
			expect(String(item.error)).not.toMatch(/is not a function|Cannot read/);
			expect(String(item.error)).toMatch(new RegExp(`does not support the "search" operation on ${objectType.replace(/_/g, '_')}s`));
			expect(String(item.hint)).toMatch(/has no .* records|Supported on/);
		}
	});
});
