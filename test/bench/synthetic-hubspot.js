'use strict';
/**
 * A stateless HubSpot-shaped server for benchmarks: `GET /crm/v3/objects/deals` pages through N
 * synthetic deals generated on the fly from their index (so the server holds nothing in memory),
 * plus the deal pipelines and owners the provider reads. No rate limit, no validation: the
 * contract server in test/sandbox does that; this one only has to be fast and deterministic.
 *
 *   node test/bench/synthetic-hubspot.js <count> [port]   (prints "listening <port>")
 */
const http = require('http');

const count = Number(process.argv[2] || 100000);
const STAGES = [
	['appointmentscheduled', 'Appointment scheduled', '0.2', 'false'],
	['qualifiedtobuy', 'Qualified to buy', '0.4', 'false'],
	['presentationscheduled', 'Presentation scheduled', '0.6', 'false'],
	['contractsent', 'Contract sent', '0.9', 'false'],
	['closedwon', 'Closed won', '1.0', 'true'],
	['closedlost', 'Closed lost', '0.0', 'true'],
];
const DAY = 86400000;
const START = Date.parse('2026-01-01T00:00:00Z');

function deal(i) {
	const stage = STAGES[i % STAGES.length];
	const created = START + (i % 300) * DAY + (i % 1000) * 1000;
	const properties = {
		hs_object_id: String(i + 1),
		dealname: `Deal ${i + 1}`,
		amount: String(1000 + (i % 97) * 10),
		pipeline: 'default',
		dealstage: stage[0],
		hubspot_owner_id: String(100 + (i % 7)),
		createdate: new Date(created).toISOString(),
		hs_lastmodifieddate: new Date(created + 5 * DAY).toISOString(),
		// Open deals close 60 days after creation (forecast); closed ones closed after 20.
		closedate: new Date(created + (stage[3] === 'true' ? 20 : 60) * DAY).toISOString(),
		notes_last_updated: i % 4 === 0 ? null : new Date(created + (i % 40) * DAY).toISOString(),
		hs_is_closed: stage[3],
		hs_is_closed_won: String(stage[0] === 'closedwon'),
	};
	const reached = stage[0] === 'closedlost' ? 1 + (i % 3) : STAGES.indexOf(stage) + 1;
	for (let s = 0; s < reached; s++) properties[`hs_date_entered_${STAGES[s][0]}`] = new Date(created + s * 3 * DAY).toISOString();
	if (stage[0] === 'closedlost') properties.hs_date_entered_closedlost = new Date(created + 20 * DAY).toISOString();
	return { id: String(i + 1), properties, createdAt: properties.createdate, updatedAt: properties.hs_lastmodifieddate, archived: false };
}

/** Close-date history (newest first, as HubSpot lists it): every fifth deal was pushed out once by 30 days. */
function closeDateHistory(i, object) {
	const now = object.properties.closedate;
	const created = object.properties.createdate;
	if (i % 5 !== 0) return [{ value: now, timestamp: created, sourceType: 'API' }];
	const first = new Date(Date.parse(now) - 30 * DAY).toISOString();
	return [
		{ value: now, timestamp: new Date(Date.parse(created) + 10 * DAY).toISOString(), sourceType: 'CRM_UI' },
		{ value: first, timestamp: created, sourceType: 'API' },
	];
}

const pipelines = {
	results: [
		{ id: 'default', label: 'Sales Pipeline', displayOrder: 0, archived: false, stages: STAGES.map((s, i) => ({ id: s[0], label: s[1], displayOrder: i, archived: false, metadata: { probability: s[2], isClosed: s[3] } })) },
	],
};
const owners = { results: Array.from({ length: 7 }, (_, i) => ({ id: String(100 + i), email: `owner${i}@example.com`, firstName: `Owner`, lastName: String(i), archived: false })) };

const server = http.createServer((req, res) => {
	const url = new URL(req.url, 'http://bench');
	let body;
	if (url.pathname === '/crm/v3/objects/deals') {
		const limit = Math.min(Number(url.searchParams.get('limit') || 10), 100);
		const after = Number(url.searchParams.get('after') || 0);
		const results = [];
		const history = (url.searchParams.get('propertiesWithHistory') || '').split(',').includes('closedate');
		for (let i = after; i < Math.min(after + limit, count); i++) {
			const object = deal(i);
			if (history) object.propertiesWithHistory = { closedate: closeDateHistory(i, object) };
			results.push(object);
		}
		body = { results, ...(after + limit < count ? { paging: { next: { after: String(after + limit) } } } : {}) };
	} else if (url.pathname === '/crm/v3/pipelines/deals') body = pipelines;
	else if (url.pathname === '/crm/v3/owners') body = owners;
	else if (url.pathname === '/account-info/v3/details') body = { portalId: 12345678, uiDomain: 'app.hubspot.com' };
	else body = { results: [] };
	const text = JSON.stringify(body);
	res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
	res.end(text);
});
server.listen(Number(process.argv[3] || 0), '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
