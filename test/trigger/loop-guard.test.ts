import { eventFilter } from '../../nodes/shared/engines/events/filters';
import type { CrmEvent } from '../../nodes/shared/contract/events';
import { basicAuthorization } from '../../nodes/shared/providers/pipedrive/webhooks';
import { FakePipedrive, ME } from '../unit/pipedriveFake';

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
