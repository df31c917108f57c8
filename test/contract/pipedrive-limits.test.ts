/* eslint-disable */
// Pipedrive's limits on the sandbox: the client keeps to the 2-second burst limit (no 429 in a
// batch of 100 stage updates at Essential's 20 per 2 s), counts the same tokens Pipedrive's budget
// is charged, and a spent daily budget is reported, not retried.
import { updateStages } from '../../nodes/shared/engines/stageUpdate';
import { pipedriveTestProvider, usePipedriveSandbox } from './pipedriveTesting';

jest.setTimeout(120_000);
const box = usePipedriveSandbox();
afterEach(() => expect(box.pd.violations).toEqual([]));

test('100 stage updates by name at the Essential burst limit: no 429, tokens counted as Pipedrive charges them', async () => {
	box.pd.setLimits({ plan: 'essential' });
	const ids = Array.from({ length: 100 }, (_, i) => String(box.pd.create('deals', { title: `Deal ${i}`, stage_id: 1 }).id));
	const provider = pipedriveTestProvider(box.pd);
	const before = box.pd.tokensUsed();
	const results = await updateStages(provider, 'deal', ids.map((id) => ({ id, stage: 'Proposal Made' })), { stopOnInvalid: false });
	expect(results.every((r) => r.ok)).toBe(true);
	expect(box.pd.requests.filter((r) => r.status === 429)).toEqual([]);
	expect(box.pd.list('deals').every((d) => d.stage_id === box.pd.stageByName('Proposal Made')!.id)).toBe(true);
	expect(provider.transport.stats.cost).toBe(box.pd.tokensUsed() - before);
	console.log(`Pipedrive sandbox: 100 stage updates = ${provider.transport.stats.requests} requests, ${provider.transport.stats.cost} tokens`);
});

test('a spent daily token budget fails the call with when it resets, without retrying', async () => {
	box.pd.setLimits({ dailyBudget: 5 });
	const provider = pipedriveTestProvider(box.pd);
	const error = await provider.listUsers().then(
		() => undefined,
		(e) => e,
	);
	expect(error).toMatchObject({ status: 429, message: 'Daily token budget exceeded', hint: expect.stringMatching(/daily API token budget is spent; it resets at the start of the next day/) });
	expect(box.pd.requests.filter((r) => r.path === '/api/v1/users')).toHaveLength(1);
});
