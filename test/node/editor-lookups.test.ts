/* eslint-disable */
// The editor's lists (pipelines, stages, users) as the CRM node and the trigger load them from
// the CRM, through n8n's load-options context shape, against the local HubSpot server.
import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { useHubSpotSandbox } from '../helpers/sandbox';
import { fetchSend } from '../helpers/fetchSend';
import { listSearch, loadOptions } from '../../nodes/Crm/methods';
import { CrmTrigger } from '../../nodes/CrmTrigger/CrmTrigger.node';

const sandbox = useHubSpotSandbox();

/** A load-options context: current parameters, the credential, and n8n's authenticated request. */
function context(parameters: Record<string, unknown>): ILoadOptionsFunctions {
	const hubspot = sandbox.hubspot;
	const send = fetchSend(hubspot.token);
	return {
		getCurrentNodeParameter: (name: string, options?: { extractValue?: boolean }) => {
			// As n8n: extracting the value of a parameter the node does not show fails.
			if (options?.extractValue && !(name in parameters)) throw new Error(`Could not find property "${name}"`);
			const value = parameters[name];
			return options?.extractValue && value && typeof value === 'object' ? (value as { value: unknown }).value : value;
		},
		getCurrentNodeParameters: () => parameters,
		getCredentials: async () => ({ accessToken: hubspot.token, baseUrl: hubspot.baseUrl }),
		getNode: () => ({ credentials: { crmHubSpotApi: { id: 'lookup-cred', name: 'sandbox' } } }),
		helpers: { httpRequestWithAuthentication: (_type: string, options: any) => send(options) },
	} as unknown as ILoadOptionsFunctions;
}

test('stages: names within the chosen pipeline, or all pipelines with where each is', async () => {
	const inSales = await listSearch.searchStages.call(context({ provider: 'hubspot', resource: 'deal', pipeline: { mode: 'list', value: 'Sales Pipeline' } }));
	expect(inSales.results.map((r) => r.value)).toEqual([
		'Appointment scheduled',
		'Qualified to buy',
		'Presentation scheduled',
		'Decision maker bought-in',
		'Contract sent',
		'Closed won',
		'Closed lost',
	]);
	const all = await listSearch.searchStages.call(context({ provider: 'hubspot', resource: 'deal' }), 'renew');
	expect(all.results).toEqual([
		{ name: 'Renewal due', value: 'Renewal due', description: 'Renewals' },
		{ name: 'Renewal negotiation', value: 'Renewal negotiation', description: 'Renewals' },
		{ name: 'Renewed', value: 'Renewed', description: 'Renewals' },
	]);
	// Lead → Update Status has no pipeline parameter: the lead status list.
	const leadStatuses = await listSearch.searchStages.call(context({ provider: 'hubspot', resource: 'lead', operation: 'updateStatus' }));
	expect(leadStatuses.results.map((r) => r.name)).toContain('Connected');
	const ticketStatuses = await listSearch.searchStages.call(context({ provider: 'hubspot', resource: 'ticket' }));
	expect(ticketStatuses.results.map((r) => r.name)).toEqual(['New', 'Waiting on contact', 'Waiting on us', 'Closed']);
});

test('pipelines and users, searchable', async () => {
	const pipelines = await listSearch.searchPipelines.call(context({ provider: 'hubspot', resource: 'deal' }));
	expect(pipelines.results.map((r) => r.name)).toEqual(['Sales Pipeline', 'Renewals']);
	const users = await listSearch.searchUsers.call(context({ provider: 'hubspot', resource: 'task' }), 'ben');
	expect(users.results).toEqual([{ name: 'Ben Baker (ben@example.com)', value: 'ben@example.com' }]);
	const options = await loadOptions.getUsers.call(context({ provider: 'hubspot' }));
	expect(options.map((o) => o.value)).toEqual(['ana@example.com', 'ben@example.com', 'cleo@example.com', 'dan@example.com']);
});

test('trigger stage filters list the stages of the chosen pipelines', async () => {
	const trigger = new CrmTrigger();
	const stages = await trigger.methods.loadOptions.getStages.call(context({ provider: 'hubspot', event: 'dealStageChanged', pipelines: ['Renewals'] }));
	expect(stages.map((s) => s.name)).toEqual(['Renewal due', 'Renewal negotiation', 'Renewed', 'Churned']);
	const pipelines = await trigger.methods.loadOptions.getPipelines.call(context({ provider: 'hubspot', event: 'ticketStatusChanged' }));
	expect(pipelines.map((p) => p.name)).toEqual(['Support Pipeline']);
});
