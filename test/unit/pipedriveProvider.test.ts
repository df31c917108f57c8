/* eslint-disable @typescript-eslint/no-explicit-any */
import { updateStages } from '../../nodes/shared/engines/stageUpdate';
import { FakePipedrive, ME } from './pipedriveFake';

jest.setTimeout(60_000);

test('250 stage updates by name: one PATCH each, concurrently, per-item results; prints the token cost', async () => {
	const fake = new FakePipedrive();
	const ids = Array.from({ length: 250 }, (_, i) => String(fake.addDeal(`Deal ${i}`).id));
	const provider = fake.provider();
	const results = await updateStages(provider, 'deal', ids.map((id) => ({ id, stage: 'Proposal Made' })), { stopOnInvalid: false });
	expect(results.every((r) => r.ok)).toBe(true);
	expect([...fake.deals.values()].every((d) => d.stage_id === 2)).toBe(true);
	const patches = fake.requests.filter((r) => r.method === 'PATCH');
	expect(patches).toHaveLength(250);
	const cost = provider.transport.stats.cost;
	// Reads: 3 × GET /deals?ids= (10) + pipelines list (10) + stages list (10); writes 250 × PATCH (5).
	expect(fake.requests.filter((r) => r.method === 'GET' && r.path === '/api/v2/deals')).toHaveLength(3);
	expect(cost).toBe(3 * 10 + 10 + 10 + 250 * 5);
	// eslint-disable-next-line no-console
	console.log(`Pipedrive: 250 stage updates = ${provider.transport.stats.requests} requests, ${cost} tokens (estimated costs, see profile.ts)`);
});

test('a 429 in the middle of a batch is retried: every write lands exactly once', async () => {
	const fake = new FakePipedrive();
	const ids = Array.from({ length: 30 }, (_, i) => String(fake.addDeal(`Deal ${i}`).id));
	fake.throttleNext = 5;
	const provider = fake.provider();
	const results = await provider.updateRecords('deal', ids.map((id) => ({ id, fields: { stageId: '3' } })));
	expect(results.every((r) => r.ok)).toBe(true);
	const applied = fake.requests.filter((r) => r.method === 'PATCH');
	expect(applied).toHaveLength(35); // 5 refused (not processed) + 30 applied
	expect(new Set(applied.slice(5).map((r) => r.path)).size).toBeGreaterThanOrEqual(25);
	expect([...fake.deals.values()].every((d) => d.stage_id === 3)).toBe(true);
	expect(provider.transport.stats.retries).toBe(5);
});

test('stage moves come from the deal flow, each with its previous stage and who made it', async () => {
	const fake = new FakePipedrive();
	const deal = fake.addDeal('Flow deal', 1);
	const provider = fake.provider();
	const feed = provider.eventFeed('dealStageChanged');
	const since = Date.now() - 1000;
	fake.change(deal.id, 'stage_id', 2, 'app', 3, new Date(Date.now() + 1000));
	fake.change(deal.id, 'stage_id', 3, 'api', ME, new Date(Date.now() + 2000));
	const candidates = [];
	for await (const page of feed.scan(since, Date.now())) candidates.push(...page);
	expect(candidates).toHaveLength(1);
	const events = await feed.expand(candidates, since);
	expect(events.map((e) => [e.previous?.name, e.stage?.name, e.origin])).toEqual([
		['Qualified', 'Proposal Made', 'other'],
		['Proposal Made', 'Negotiations Started', 'package'],
	]);
	expect(new Set(events.map((e) => e.key)).size).toBe(2);
	expect(events[0].record.url).toBe(`http://acme.test/deal/${deal.id}`);
});

test('Send Through the CRM fails with why; tickets are named as missing', async () => {
	const provider = new FakePipedrive().provider();
	const [sent] = await provider.deliverMessages([{ channel: 'email', body: 'x', related: [{ type: 'deal', id: '1' }], delivery: 'send' }]);
	expect(!sent.ok && sent.error.message).toMatch(/Pipedrive does not support sending messages/);
	expect(!sent.ok && (sent.error as any).hint).toMatch(/Mailbox API only reads, updates and deletes/);
	expect(provider.capabilities.records.ticket).toBeUndefined();
	expect(provider.capabilities.messageDelivery).toEqual([]);
	expect(() => provider.eventFeed('ticketOpened')).toThrow(expect.objectContaining({ hint: 'Pipedrive has no tickets.' }));
});
