import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { crmNotices, crmSubtitlePart, optionLabels, readableSubtitle } from '../shared/node/editorDisplay';
import { providerCredentials, providerProperty } from '../shared/node/providerDescription';
import { router } from './actions/router';
import { resourceProperties, resourceProperty } from './description/resources';
import { listSearch, loadOptions } from './methods';

const resourceNames = optionLabels([resourceProperty], 'resource');
// "resource.operation" → "Assign Owner · Lead"
const actionNames = Object.fromEntries(
	Object.entries(optionLabels(resourceProperties, 'operation', (p) => `${String(p.displayOptions?.show?.resource?.[0])}.`)).map(
		([key, name]) => [key, `${name} · ${resourceNames[key.split('.')[0]] ?? key}`],
	),
);

export class Crm implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CRM',
		name: 'crm',
		icon: { light: 'file:../../icons/crm.svg', dark: 'file:../../icons/crm.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: readableSubtitle([{ key: '$parameter["resource"] + "." + $parameter["operation"]', labels: actionNames }, crmSubtitlePart]),
		description:
			'Leads, contacts, deals, tickets, tasks and messages in HubSpot, Salesforce, EspoCRM and other CRMs: assign, update stage, send',
		defaults: { name: 'CRM' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: providerCredentials,
		properties: [
			providerProperty,
			...crmNotices(providerProperty),
			resourceProperty,
			...resourceProperties,
		],
	};

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
