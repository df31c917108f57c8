// Starts one local HubSpot server per test file, resets it (and the process-wide rate limiters)
// before each test, and fails any test whose requests broke HubSpot's documented schemas.
import { startHubSpotServer } from '../sandbox/hubspot/server';
import type { FakeHubSpot } from '../sandbox/hubspot';
import { resetLimiters } from '../../nodes/shared/transport/rateLimiter';

export function useHubSpotSandbox(options: { checkSchemas?: boolean; beforeEach?: (hubspot: FakeHubSpot) => void } = {}) {
	const box = { hubspot: undefined as unknown as FakeHubSpot };
	beforeAll(async () => {
		box.hubspot = await startHubSpotServer({ port: 0 });
	});
	afterAll(() => box.hubspot.stop());
	beforeEach(() => {
		box.hubspot.reset();
		resetLimiters();
		options.beforeEach?.(box.hubspot);
	});
	if (options.checkSchemas !== false) afterEach(() => expect(box.hubspot.violations).toEqual([]));
	return box;
}
