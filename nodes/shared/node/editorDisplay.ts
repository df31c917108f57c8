import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { PROVIDERS } from '../providers/registry';

/**
 * What the editor shows about a node beyond its parameters: the canvas subtitle and the notice
 * naming the CRM the node works on. Built from the node descriptions, so labels never drift.
 */

/** The option value → option name table of an options parameter (first match wins). */
export function optionLabels(properties: INodeProperties[], name: string, prefix?: (p: INodeProperties) => string): Record<string, string> {
	const labels: Record<string, string> = {};
	for (const property of properties.filter((p) => p.name === name)) {
		for (const option of (property.options ?? []) as Array<{ name: string; value?: unknown }>) {
			const key = `${prefix ? prefix(property) : ''}${String(option.value)}`;
			if (!(key in labels)) labels[key] = option.name;
		}
	}
	return labels;
}

/** CRM picker value → the CRM's name ("salesforceJwt" → "Salesforce"). */
export const CRM_NAMES: Record<string, string> = Object.fromEntries(
	PROVIDERS.flatMap((provider) => provider.authentications.map((a) => [a.value, provider.displayName])),
);

export interface SubtitlePart {
	/** An expression over `$parameter` whose value is looked up in `labels`. */
	key: string;
	labels: Record<string, string>;
}

/**
 * A canvas subtitle of option names instead of internal values ("Assign Owner · Lead · HubSpot",
 * not "assignOwner: lead"). A value without a label (an expression, an option added later) is
 * shown as it is.
 */
export function readableSubtitle(parts: SubtitlePart[]): string {
	const terms = parts.map(({ key, labels }) => `(${JSON.stringify(labels)}[${key}] || ${key})`);
	return `={{ [${terms.join(', ')}].filter(Boolean).join(" · ") }}`;
}

export const crmSubtitlePart: SubtitlePart = { key: '$parameter["provider"]', labels: CRM_NAMES };

/**
 * One notice per CRM picker option, shown at the top of the panel: the CRM picker is the node's
 * authentication field, which n8n's editor does not show as a parameter (the credential list
 * stands for it and picks the newest credential of any CRM for a new node). The notice makes the
 * CRM the node works on, and how to change it, visible.
 */
export function crmNotices(options: INodeProperties, extraShow: IDisplayOptions['show'] = {}): INodeProperties[] {
	return ((options.options ?? []) as Array<{ name: string; value: string }>).map((option) => ({
		displayName: `This node works on <b>${option.name}</b>: the CRM of the credential above. To work on another CRM, choose a credential of that CRM.`,
		name: `crmNotice_${option.value}`,
		type: 'notice',
		default: '',
		displayOptions: { show: { ...extraShow, provider: [option.value] } },
	}));
}
