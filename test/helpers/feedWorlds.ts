// The simulation worlds of the three sandboxes (see feedSimulation.ts): how each one creates and
// moves deals, lags, records requests and scans. The feed is passed in, so a test can put a fault
// proxy between the provider and the sandbox.
import type { EventFeed, EventType } from '../../nodes/shared/contract/events';
import type { FakeEspoCrm } from '../sandbox/espocrm';
import type { FakeHubSpot } from '../sandbox/hubspot';
import type { FakeSalesforce } from '../sandbox/salesforce';
import type { FakeZoho } from '../sandbox/zoho';
import type { FakePipedrive } from '../sandbox/pipedrive';
import type { SimulationWorld } from './feedSimulation';

type Feed = (type: EventType) => EventFeed;

export function hubspotWorld(hubspot: FakeHubSpot, feed: Feed): SimulationWorld {
	return {
		reset: () => hubspot.reset(),
		setClock: (now) => hubspot.setClock(now),
		setLag: (ms) => hubspot.setSearchLag(ms),
		onRequest: (hook) => hubspot.onRequest(hook as never),
		isScanRequest: (request) => request.path.endsWith('/search'),
		stages: ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent'],
		createDeal: (name, stage) => String(hubspot.createObject('deals', { dealname: name, pipeline: 'default', dealstage: stage }).id),
		dealStage: (id) => hubspot.getObject('deals', id).properties.dealstage,
		moveDeal: (id, stage) => void hubspot.updateObject('deals', id, { dealstage: stage }),
		feed,
		requestCount: () => hubspot.requests.length,
		resolutionMs: 1,
	};
}

export function salesforceWorld(sf: FakeSalesforce, feed: Feed): SimulationWorld {
	return {
		reset: () => sf.reset(),
		setClock: (clock) => sf.setClock(clock),
		setLag: (ms) => sf.setVisibilityLag(ms),
		onRequest: (hook) => sf.onRequest(hook as never),
		isScanRequest: (request) => request.path.includes('/query'),
		stages: ['Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers'],
		createDeal: (name, stage) => sf.insert('Opportunity', { Name: name, StageName: stage, CloseDate: '2026-12-31' }).Id,
		dealStage: (id) => sf.get('Opportunity', id)!.StageName,
		moveDeal: (id, stage) => void sf.update('Opportunity', id, { StageName: stage }),
		feed,
		requestCount: () => sf.requests.length,
		// Salesforce keeps datetimes to the second; a deal can move twice in one (history rows).
		resolutionMs: 1000,
		ordersWithinUnit: true,
	};
}

export function espocrmWorld(espo: FakeEspoCrm, feed: Feed): SimulationWorld {
	return {
		reset: () => espo.reset(),
		setClock: (clock) => espo.setClock(clock),
		setLag: (ms) => espo.setReadLag(ms),
		onRequest: (hook) => espo.onRequest(hook as never),
		// Feeds scan with list requests (a write may land between two pages, or during a stream read).
		isScanRequest: (request) => request.path === '/api/v1/Opportunity',
		stages: ['Prospecting', 'Qualification', 'Proposal', 'Negotiation'],
		createDeal: (name, stage) => espo.createRecord('Opportunity', { name, amount: 10, closeDate: '2026-12-31', stage }).id,
		dealStage: (id) => espo.getRecord('Opportunity', id)!.stage,
		moveDeal: (id, stage) => void espo.updateRecord('Opportunity', id, { stage }),
		feed,
		requestCount: () => espo.requests.length,
		// EspoCRM keeps datetimes to the second; a deal can move twice in one (stream note numbers).
		resolutionMs: 1000,
		ordersWithinUnit: true,
	};
}

export function zohoWorld(zoho: FakeZoho, feed: Feed): SimulationWorld {
	return {
		reset: () => zoho.reset(),
		setClock: (clock) => zoho.setClock(clock),
		// The Zoho sandbox shows writes at once (Zoho documents no COQL indexing lag): no lag here.
		setLag: () => undefined,
		onRequest: (hook) => zoho.onRequest(hook as never),
		// Feeds scan with COQL; a write may land between two pages.
		isScanRequest: (request) => request.path.endsWith('/coql'),
		stages: ['Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Proposal/Price Quote'],
		createDeal: (name, stage) => zoho.createRecord('Deals', { Deal_Name: name, Stage: stage, Closing_Date: '2026-12-31' }).id,
		dealStage: (id) => zoho.getRecord('Deals', id)!.Stage,
		moveDeal: (id, stage) => void zoho.updateRecord('Deals', id, { Stage: stage }),
		feed,
		requestCount: () => zoho.requests.length,
		// Zoho keeps times to the second; Stage_History rows of one second keep their order (newest first).
		resolutionMs: 1000,
		ordersWithinUnit: true,
	};
}

export function pipedriveWorld(pd: FakePipedrive, feed: Feed): SimulationWorld {
	const ana = () => pd.userByEmail('ana@example.com')!.id;
	return {
		reset: () => pd.reset(),
		setClock: (clock) => pd.setClock(clock),
		// The sandbox lags only its search index; the feeds read list endpoints, which do not lag.
		setLag: (ms) => pd.setSearchLag(ms),
		onRequest: (hook) => pd.onRequest(hook as never),
		// Feeds scan with the v2 deals list (a write may land between two pages, or during a flow read).
		isScanRequest: (request) => request.path === '/api/v2/deals',
		// Stage ids of the seeded pipeline (Qualified … Negotiations Started): events name stages by id.
		stages: ['1', '2', '3', '4', '5'],
		createDeal: (name, stage) => String(pd.create('deals', { title: name, stage_id: Number(stage) }, { userId: ana() }).id),
		dealStage: (id) => String(pd.get('deals', id)!.stage_id),
		moveDeal: (id, stage) => void pd.update('deals', id, { stage_id: Number(stage) }, { userId: ana() }),
		feed,
		requestCount: () => pd.requests.length,
		// Pipedrive keeps times to the second; flow entry ids order the changes within one.
		resolutionMs: 1000,
		ordersWithinUnit: true,
	};
}
