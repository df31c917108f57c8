/* eslint-disable */
// `npm run bench:limiter`: 1,000 HubSpot reads through the package's transport (its client-side
// limiter, retries and the vendor's rate-limit headers) against the local HubSpot sandbox with its
// rate limit on (100 requests / 10 s, the Free/Starter burst limit), from 50 concurrent callers.
// The floor is 90 s: 100 requests at once, then 100 per 10 s for the other 900. Prints the time,
// the floor and how many 429s the sandbox answered. (`SHARED=1` adds another app on the same
// account spending 20 % of the budget: the limiter does not yet learn that share, see the run.)
import { startHubSpotServer } from '../sandbox/hubspot/server';
import { fetchSend } from '../helpers/fetchSend';
import { CrmTransport } from '../../nodes/shared/transport/http';
import { resetLimiters } from '../../nodes/shared/transport/rateLimiter';
import { hubspotHttpProfile } from '../../nodes/shared/providers/hubspot/profile';

const READS = Number(process.env.READS ?? 1000);
const CALLERS = 50;
const LIMIT = { max: 100, windowMs: 10_000 };
const FLOOR_S = (Math.ceil(READS / LIMIT.max) - 1) * (LIMIT.windowMs / 1000);

async function run(label: string, otherApp: boolean): Promise<{ seconds: number; rejected: number }> {
	resetLimiters();
	const hubspot = await startHubSpotServer({ port: 0, rateLimit: LIMIT, searchRateLimit: { max: 4, windowMs: 1000 } });
	try {
		const ids = Array.from({ length: 20 }, (_, i) => String(hubspot.createObject('deals', { dealname: `Deal ${i}`, pipeline: 'default', dealstage: 'appointmentscheduled' }).id));
		const otherId = String(hubspot.createObject('deals', { dealname: 'Other app', pipeline: 'default', dealstage: 'appointmentscheduled' }).id);
		const transport = new CrmTransport(fetchSend(hubspot.token), hubspotHttpProfile(hubspot.baseUrl, '100'), { credentialKey: `bench-${label}` });
		let next = 0;
		let stopOther = false;
		// Another app on the same account: 2 requests a second (20 % of the budget), unlimited by us.
		const other = otherApp
			? (async () => {
					const send = fetchSend(hubspot.token);
					while (!stopOther) {
						await send({ method: 'GET', url: `${hubspot.baseUrl}/crm/v3/objects/deals/${otherId}` });
						await new Promise((resolve) => setTimeout(resolve, 500));
					}
				})()
			: Promise.resolve();
		const started = Date.now();
		await Promise.all(
			Array.from({ length: CALLERS }, async () => {
				while (next < READS) {
					const i = next++;
					await transport.request({ method: 'GET', path: `/crm/v3/objects/deals/${ids[i % ids.length]}`, idempotent: true });
				}
			}),
		);
		const seconds = (Date.now() - started) / 1000;
		stopOther = true;
		await other;
		const ours = hubspot.requests.filter((r: any) => r.path.startsWith('/crm/v3/objects/deals/') && !r.path.endsWith(`/${otherId}`));
		const rejected = ours.filter((r: any) => r.status === 429).length;
		console.log(
			`${label}: ${READS} reads in ${seconds.toFixed(1)} s (floor ${FLOOR_S} s${otherApp ? ' without the other app' : ''}), ` +
				`${rejected} × 429 of ${ours.length} requests the sandbox saw, ${transport.stats.retries} retries`,
		);
		return { seconds, rejected };
	} finally {
		await hubspot.stop();
	}
}

(async () => {
	const alone = await run('alone', false);
	const shared = process.env.SHARED ? await run('shared account', true).catch((error) => (console.log(`shared account: failed: ${error.message}`), undefined)) : undefined;
	const ok = alone.rejected === 0 && alone.seconds < FLOOR_S * 1.25;
	console.log(ok ? `OK: no 429, within 25 % of the ${FLOOR_S} s floor (the window is stretched by the measured latency, large on a loaded machine)` : "NOT OK");
	if (shared) console.log(`(with another app: ${shared.seconds.toFixed(1)} s, ${shared.rejected} × 429)`);
	process.exit(ok ? 0 : 1);
})().catch((error) => {
	console.error(error);
	process.exit(1);
});
