/* eslint-disable */
// Pipedrive's limits on the sandbox: the client keeps to the 2-second burst limit (no 429 in a
// batch of 100 stage updates at Essential's 20 per 2 s), counts the same tokens Pipedrive's budget
// is charged, and a spent daily budget is reported, not retried.
import { updateStages } from '../../nodes/shared/engines/stageUpdate';
import { pipedriveTestProvider, usePipedriveSandbox } from '../sandbox/pipedrive/testing';

jest.setTimeout(120_000);
const box = usePipedriveSandbox();
afterEach(() => expect(box.pipedrive.violations).toEqual([]));

test('100 stage updates by name at the Essential burst limit: no 429, tokens counted as Pipedrive charges them', async () => {
	box.pipedrive.setLimits({ plan: 'essential' });
	const ids = Array.from({ length: 100 }, (_, i) => String(box.pipedrive.create('deals', { title: `Deal ${i}`, stage_id: 1 }).id));
	const provider = pipedriveTestProvider(box.pipedrive);
	const before = box.pipedrive.tokensUsed();
	const results = await updateStages(provider, 'deal', ids.map((id) => ({ id, stage: 'Proposal Made' })), { stopOnInvalid: false });
	expect(results.every((r) => r.ok)).toBe(true);
	expect(box.pipedrive.requests.filter((r) => r.status === 429)).toEqual([]);
	expect(box.pipedrive.list('deals').every((d) => d.stage_id === box.pipedrive.stageByName('Proposal Made')!.id)).toBe(true);
	expect(provider.transport.stats.cost).toBe(box.pipedrive.tokensUsed() - before);
	console.log(`Pipedrive sandbox: 100 stage updates = ${provider.transport.stats.requests} requests, ${provider.transport.stats.cost} tokens`);
});

test('a spent daily token budget fails the call with when it resets, without retrying', async () => {
	box.pipedrive.setLimits({ dailyBudget: 5 });
	const provider = pipedriveTestProvider(box.pipedrive);
	const error = await provider.listUsers().then(
		() => undefined,
		(e) => e,
	);
	expect(error).toMatchObject({ status: 429, message: 'Daily token budget exceeded', hint: expect.stringMatching(/daily API token budget is spent; it resets at the start of the next day/) });
	expect(box.pipedrive.requests.filter((r) => r.path === '/api/v1/users')).toHaveLength(1);
});
