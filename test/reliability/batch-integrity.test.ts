/* eslint-disable */
// Batch integrity under faults AFTER the CRM applied a write (502 page, truncated JSON, dropped
// connection, gateway HTML with status 200), on HubSpot, Salesforce and EspoCRM through the CRM
// node in n8n-core: no created record may be reported as a plain failure (a re-run would
// duplicate it), none may be created twice, and with Continue On Fail off the error lists every
// written record (or says which items may have been written).
import type { IDataObject } from 'n8n-workflow';

import { companyIdByName, companyNames, contactEmails, CREATE_PATH, newTargets, resetTarget, runStep, startTarget, stopTarget } from './harness';
import type { Target } from './harness';
import type { Fault } from '../helpers/faultProxy';

jest.setTimeout(180_000);

// After-apply faults: the CRM wrote, the answer is lost.
const FAULTS: Fault[] = [{ kind: 'status', status: 502, phase: 'after' }, { kind: 'truncatedJson', phase: 'after' }, { kind: 'dropped', phase: 'after' }, { kind: 'htmlPage', phase: 'after' }];
const figures: string[] = [];

afterAll(() => console.log(`Batch integrity:\n${figures.join('\n')}`));

const createCompanies = { resource: 'company', operation: 'create', name: '={{ $json.name }}' };

interface Tally {
	items: number;
	ok: number;
	uncertain: number;
	failed: number;
	/** Records in the CRM whose item was reported as a plain failure. */
	lost: number;
	/** Names stored more than once. */
	duplicated: number;
	/** Items reported written whose id the CRM does not have. */
	phantom: number;
}

function tally(target: Target, names: string[], output: IDataObject[]): Tally {
	const stored = companyNames(target);
	const ids = companyIdByName(target);
	const t: Tally = { items: names.length, ok: 0, uncertain: 0, failed: 0, lost: 0, duplicated: stored.length - new Set(stored).size, phantom: 0 };
	names.forEach((name, i) => {
		const out = output[i];
		if (out && out.error === undefined && out.id !== undefined) {
			t.ok++;
			if (ids.get(name) !== String(out.id)) t.phantom++;
		} else if (out?.outcome === 'unknown') {
			t.uncertain++;
			expect(String(out.error)).toMatch(/^may have been applied/);
			expect(String(out.check)).toContain(name);
		} else {
			t.failed++;
			if (ids.has(name)) t.lost++;
		}
	});
	return t;
}

describe.each(newTargets().map((t) => [t.name, t] as const))('%s', (_name, target) => {
	beforeAll(() => startTarget(target));
	afterAll(() => stopTarget(target));
	beforeEach(() => resetTarget(target));

	const create = CREATE_PATH[target.name];
	// Five create calls; the 2nd–5th each get one after-apply fault.
	const count = create.perCall === 1 ? 5 : create.perCall * 4 + 50;
	const calls = create.perCall === 1 ? 5 : 5;

	test('after-apply faults on creates (Continue On Fail): nothing lost, nothing doubled, uncertain items say what to check', async () => {
		FAULTS.forEach((fault, n) => target.proxy.add({ method: create.method, pathEndsWith: create.path, skip: n + 1, fault }));
		const names = Array.from({ length: count }, (_, i) => `Integrity ${target.name} ${i}`);
		const { output } = await runStep(target, createCompanies, names.map((name) => ({ name })), { continueOnFail: true });
		expect(output).toHaveLength(count);
		const faulted = target.proxy.log.filter((e) => e.fault);
		expect(faulted.map((e) => e.fault)).toEqual(FAULTS.map((f) => f.kind));
		expect(faulted.every((e) => e.upstreamStatus! < 300)).toBe(true); // the CRM applied them
		const t = tally(target, names, output);
		figures.push(`${target.name}: ${count} creates in ${calls} calls, 4 after-apply faults → ok ${t.ok}, may-have-been-applied ${t.uncertain}, failed ${t.failed}, lost ${t.lost}, duplicated ${t.duplicated}, phantom ${t.phantom}`);
		expect(t).toMatchObject({ lost: 0, duplicated: 0, phantom: 0, failed: 0 });
		expect(t.uncertain).toBe(create.perCall === 1 ? 4 : create.perCall * 3 + 50);
		expect(t.ok + t.uncertain).toBe(count);
	});

	test('after-apply 502 with Continue On Fail off: the error lists every written record and every uncertain item', async () => {
		target.proxy.add({ method: create.method, pathEndsWith: create.path, skip: 1, fault: { kind: 'status', status: 502, phase: 'after' } });
		const n = create.perCall === 1 ? 4 : create.perCall * 2 + 10;
		const names = Array.from({ length: n }, (_, i) => `Stop ${target.name} ${i}`);
		const { error } = await runStep(target, createCompanies, names.map((name) => ({ name })));
		expect(error).toBeDefined();
		const firstUncertain = create.perCall === 1 ? 1 : create.perCall;
		expect(error.message).toMatch(new RegExp(`^Item ${firstUncertain}: .*may have been applied`));
		const description = String(error.description);
		const ids = companyIdByName(target);
		let missing = 0;
		names.forEach((name, i) => {
			const id = ids.get(name);
			if (!id || i === firstUncertain) return;
			const listed = description.includes(`item ${i} → id ${id}`) || new RegExp(`May have been written[^.]*\\b${i}\\b`).test(description);
			if (!listed) missing++;
		});
		figures.push(`${target.name}: Continue On Fail off, ${n} creates, 502 after apply on call 2 → ${ids.size} written, ${missing} missing from the error's lists`);
		expect(ids.size).toBe(n);
		expect(missing).toBe(0);
		expect(description).toContain(`Check before running this item again`);
	});

	test('a create answered with truncated JSON is never a success without an id', async () => {
		target.proxy.add({ method: create.method, pathEndsWith: create.path, fault: { kind: 'truncatedJson', phase: 'after' } });
		const { output } = await runStep(target, createCompanies, [{ name: 'Truncated Ltd' }], { continueOnFail: true });
		expect(output[0].id).toBeUndefined();
		expect(output[0]).toMatchObject({ outcome: 'unknown' });
		expect(JSON.stringify(output)).not.toContain('undefined');
		expect(companyNames(target)).toEqual(['Truncated Ltd']);
	});

	test('a dropped connection keeps the "Item N:" prefix and what was called (n8n rewrites ECONNRESET messages)', async () => {
		target.proxy.add({ method: create.method, pathEndsWith: create.path, fault: { kind: 'dropped', phase: 'after' } });
		const { error } = await runStep(target, createCompanies, [{ name: 'Dropped Ltd' }]);
		expect(error.message).toMatch(/^Item 0: .*may have been applied: Network error \(ECONNRESET\) calling POST/);
		expect(String(error.description)).toContain('Check before running this item again');
	});

	if (target.name !== 'hubspot') {
		test('contact upsert: an invalid later item stops the run before anything is written', async () => {
			const before = contactEmails(target).length;
			const { error } = await runStep(
				target,
				{ resource: 'contact', operation: 'upsert', email: '={{ $json.email }}', fields: { lastName: '={{ $json.lastName ?? "" }}' } },
				[{ email: 'first@upsert.test', lastName: 'First' }, { email: 'second@upsert.test' }],
			);
			expect(error.message).toMatch(/^Item 1: .*last name/);
			expect(contactEmails(target).length).toBe(before);
		});
	}

	if (target.name === 'salesforce') {
		test('contact upsert: a garbled email lookup fails the item instead of creating a duplicate', async () => {
			const first = await runStep(target, { resource: 'contact', operation: 'upsert', email: 'dup@upsert.test', fields: { lastName: 'Dup' } }, [{}]);
			expect(first.error).toBeUndefined();
			// Garbled every time: the transport's retries of the (idempotent) lookup all fail.
			target.proxy.add({ method: 'GET', pathEndsWith: '/query', times: 10, fault: { kind: 'truncatedJson', phase: 'after' } });
			const again = await runStep(target, { resource: 'contact', operation: 'upsert', email: 'dup@upsert.test', fields: { lastName: 'Dup' } }, [{}], { continueOnFail: true });
			expect(again.output[0].error).toMatch(/unreadable/i);
			expect(contactEmails(target).filter((e) => e === 'dup@upsert.test')).toHaveLength(1);
			figures.push('salesforce: upsert after a garbled email lookup → 0 duplicates');
		});

		test('a failed read-back after the creates keeps every created id', async () => {
			target.proxy.add({ method: 'POST', pathEndsWith: '/composite/sobjects/Account', times: 10, fault: { kind: 'status', status: 503, phase: 'after' } });
			const names = ['Readback A', 'Readback B'];
			const { output } = await runStep(target, createCompanies, names.map((name) => ({ name })), { continueOnFail: true });
			const ids = companyIdByName(target);
			expect(output.map((o) => o.id)).toEqual(names.map((n) => ids.get(n)));
			expect(String(output[0].readBackError)).toMatch(/^Written; reading it back failed/);
		});
	}
});
