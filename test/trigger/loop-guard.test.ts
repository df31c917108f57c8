import { eventFilter } from '../../nodes/shared/engines/events/filters';
import type { CrmEvent } from '../../nodes/shared/contract/events';
import { basicAuthorization } from '../../nodes/shared/providers/pipedrive/webhooks';
import { FakePipedrive, ME } from '../unit/pipedriveFake';
import { espoProvider, useEspoSandbox } from '../sandbox/espocrm/testing';
import { poll } from '../../nodes/shared/engines/events/poller';

const event = (origin?: 'package' | 'other'): CrmEvent => ({
	type: 'dealStageChanged',
	key: `k-${origin}`,
	at: 1,
	record: { id: '1', provider: 'pipedrive', raw: {} },
	stage: { id: '2' },
	...(origin ? { origin } : {}),
});

test('the loop guard skips only events the CRM attributes to the credential’s own API writes', () => {
	const guarded = eventFilter('dealStageChanged', { ignoreOwnChanges: true });
	expect(guarded(event('package'))).toBe(false);
	expect(guarded(event('other'))).toBe(true);
	expect(guarded(event())).toBe(true); // origin unknown: kept
	const open = eventFilter('dealStageChanged', {});
	expect(open(event('package'))).toBe(true);
});

/** A webhooks v2 delivery as Pipedrive sends it (guide-for-webhooks-v2). */
function delivery(changeSource: 'api' | 'app', userId: number, deliveryId: string) {
	return {
		meta: { action: 'change', entity: 'deal', entity_id: '1', id: deliveryId, change_source: changeSource, user_id: userId, timestamp: '2026-12-04T01:00:00Z', webhook_id: '9' },
		data: { id: 1, title: 'D', stage_id: 3, pipeline_id: 1, status: 'open', update_time: '2026-12-04T01:00:00Z', stage_change_time: '2026-12-04T01:00:00Z' },
		previous: { stage_id: 2 },
	};
}

test('Pipedrive webhook deliveries carry their origin: api + the token’s user is this package', async () => {
	const fake = new FakePipedrive();
	const source = fake.provider().instantEvents('dealStageChanged');
	const [ours] = await source.toEvents(delivery('api', ME, 'a1'));
	const [theirs] = await source.toEvents(delivery('app', ME, 'a2'));
	const [otherApi] = await source.toEvents(delivery('api', ME + 1, 'a3'));
	expect([ours.origin, theirs.origin, otherApi.origin]).toEqual(['package', 'other', 'other']);
	expect([ours.previous?.name, ours.stage?.name]).toEqual(['Proposal Made', 'Negotiations Started']);
	// A retried delivery (same meta.id) maps to the same key: the trigger emits it once.
	const [again] = await source.toEvents(delivery('api', ME, 'a1'));
	expect(again.key).toBe(ours.key);
	const guarded = eventFilter('dealStageChanged', { ignoreOwnChanges: true });
	expect([ours, theirs, otherApi].filter(guarded).map((e) => e.origin)).toEqual(['other', 'other']);
	// A change without a stage move (no previous.stage_id) is no stage event.
	expect(await source.toEvents({ ...delivery('app', 3, 'a4'), previous: { title: 'old' } })).toEqual([]);
});

test('Pipedrive deliveries are checked against the registered basic credentials', () => {
	const source = new FakePipedrive().provider().instantEvents('dealStageChanged');
	const registration = { id: '9', secret: 'n8n-ab:secret' };
	const request = (authorization?: string) => ({ method: 'POST', url: '/webhook', headers: { authorization }, rawBody: Buffer.from('{}') });
	expect(source.verify(request(basicAuthorization('n8n-ab:secret')), registration)).toBe(true);
	expect(source.verify(request(basicAuthorization('n8n-ab:wrong!')), registration)).toBe(false);
	expect(source.verify(request(), registration)).toBe(false);
	expect(source.verify(request(basicAuthorization('n8n-ab:secret')), { id: '9' })).toBe(false);
});

// ── EspoCRM: a change recorded by the credential's own API user is this package's ─────────────

describe('EspoCRM', () => {
	const box = useEspoSandbox();

	test('stage moves and creations by the API user are origin "package", by a person "other"; the guard skips only ours', async () => {
		const espo = box.espo;
		let now = Date.parse('2026-11-20T09:00:00Z');
		espo.setClock(() => now);
		const provider = espoProvider(espo, 'apiKey', { unlimited: true });
		const options = () => ({ safetyWindowMs: 120_000, nowMs: now, maxCandidates: 1000 });
		const d = espo.createRecord('Opportunity', { name: 'Loop', amount: 10, closeDate: '2026-12-31', stage: 'Prospecting' });
		now += 10_000;
		const moves = provider.eventFeed('dealStageChanged');
		const created = provider.eventFeed('dealCreated');
		const moveState = (await poll(moves, undefined, options())).state;
		const createState = (await poll(created, undefined, options())).state;
		now += 3_000;
		espo.updateRecord('Opportunity', d.id, { stage: 'Qualification' }); // by Ana, in the UI
		now += 3_000;
		espo.updateRecord('Opportunity', d.id, { stage: 'Proposal' }, { userId: 'u-api' }); // by the credential's API user
		now += 1_000;
		const ours = espo.createRecord('Opportunity', { name: 'Made by the workflow', amount: 1, closeDate: '2026-12-31', stage: 'Prospecting' }, { userId: 'u-api' });
		const theirs = espo.createRecord('Opportunity', { name: 'Made by Ana', amount: 1, closeDate: '2026-12-31', stage: 'Prospecting' });
		const moved = await poll(moves, moveState, options());
		expect(moved.events.map((e) => [e.stage?.id, e.origin])).toEqual([
			['Qualification', 'other'],
			['Proposal', 'package'],
		]);
		const made = await poll(created, createState, options());
		expect(Object.fromEntries(made.events.map((e) => [e.record.id, e.origin]))).toEqual({ [ours.id]: 'package', [theirs.id]: 'other' });
		const guard = eventFilter('dealStageChanged', { ignoreOwnChanges: true });
		expect(moved.events.filter(guard).map((e) => e.stage?.id)).toEqual(['Qualification']);
	});
});
