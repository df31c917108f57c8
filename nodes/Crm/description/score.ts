import type { INodeProperties } from 'n8n-workflow';

import { recordIdField, show } from './common';

/**
 * The Score operation's parameters (Lead and Contact). Names start with "score" so they never
 * meet another operation's parameters (the assignment strategy has its own "rules").
 */
export function scoreProperties(resource: 'lead' | 'contact'): INodeProperties[] {
	const here = show([resource], ['score']);
	return [
		{ ...recordIdField(resource, ['score'], resource === 'lead' ? 'Lead ID' : 'Contact ID'), default: '={{ $json.id }}' },
		{
			displayName: 'Rules',
			name: 'scoreRules',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, sortable: true },
			placeholder: 'Add Rule',
			default: {},
			description: 'Field conditions; each one that holds adds its weight (negative weights subtract)',
			displayOptions: here,
			options: [
				{
					displayName: 'Rule',
					name: 'rule',
					values: [
						{ displayName: 'Days', name: 'days', type: 'number', default: 30, description: 'The date must fall in the N days before the scoring time', displayOptions: { show: { operator: ['withinDays'] } } },
						{
							displayName: 'Field',
							name: 'field',
							type: 'string',
							default: '',
							placeholder: 'title',
							description:
								'A normalized field (title, company, source, status, email, phone, ownerId, createdAt, ...) or a vendor property as raw.&lt;path&gt;, e.g. raw.properties.industry on HubSpot or raw.Industry on Salesforce',
						},
						{ displayName: 'Maximum', name: 'max', type: 'string', default: '', description: 'Highest number that matches (empty: no upper bound)', displayOptions: { show: { operator: ['between'] } } },
						{ displayName: 'Minimum', name: 'min', type: 'string', default: '', description: 'Lowest number that matches (empty: no lower bound)', displayOptions: { show: { operator: ['between'] } } },
						{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'Shown in the breakdown and in errors' },
						{
							displayName: 'Operator',
							name: 'operator',
							type: 'options',
							options: [
								{ name: 'Contains', value: 'contains' },
								{ name: 'Date Within Last N Days', value: 'withinDays' },
								{ name: 'Equals', value: 'equals' },
								{ name: 'Is in List', value: 'inList' },
								{ name: 'Is Not Set', value: 'isNotSet' },
								{ name: 'Is Set', value: 'isSet' },
								{ name: 'Not Equals', value: 'notEquals' },
								{ name: 'Number Between', value: 'between' },
							],
							default: 'equals',
						},
						{
							displayName: 'Value',
							name: 'value',
							type: 'string',
							default: '',
							description: 'Text to compare (case-insensitive); for "Is in List", comma-separated values',
							displayOptions: { show: { operator: ['equals', 'notEquals', 'contains', 'inList'] } },
						},
						{ displayName: 'Weight', name: 'weight', type: 'number', default: 10, description: 'Points added when the rule holds (negative to subtract)' },
					],
				},
			],
		},
		{
			displayName: 'Activity Terms',
			name: 'scoreEvents',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, sortable: true },
			placeholder: 'Add Activity Term',
			default: {},
			description: "Engagement from the record's activities: each activity adds weight × 2^(−age / half-life), so recent activity counts most",
			displayOptions: here,
			options: [
				{
					displayName: 'Term',
					name: 'event',
					values: [
						{
							displayName: 'Activity',
							name: 'kind',
							type: 'options',
							options: [
								{ name: 'Any Activity', value: 'any' },
								{ name: 'Call', value: 'call' },
								{ name: 'Email', value: 'email' },
								{ name: 'Meeting', value: 'meeting' },
								{ name: 'Note', value: 'note' },
								{ name: 'Status or Stage Change', value: 'stageChange' },
								{ name: 'Task', value: 'task' },
							],
							default: 'email',
						},
						{ displayName: 'Half-Life (Days)', name: 'halfLifeDays', type: 'number', default: 7, description: 'After this many days an activity counts half, after twice as many a quarter' },
						{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'Shown in the breakdown and in errors' },
						{ displayName: 'Weight', name: 'weight', type: 'number', default: 5, description: 'Points of an activity that happened at the scoring time' },
					],
				},
			],
		},
		{
			displayName: 'Bands',
			name: 'bands',
			type: 'string',
			default: 'A=60, B=30, C',
			description: 'Band names with the lowest score of each, highest first; the last band without a score takes the rest',
			displayOptions: here,
		},
		{
			displayName: 'Scoring Time',
			name: 'scoredAt',
			type: 'dateTime',
			default: '',
			description: 'The moment ages and date rules are measured from; empty means now. A fixed time gives the same score on every run. Without a time zone it is read as UTC.',
			displayOptions: here,
		},
		{
			displayName: 'Options',
			name: 'scoreOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: here,
			options: [
				{ displayName: 'Activity Lookback (Days)', name: 'lookbackDays', type: 'number', default: 365, description: 'How far back activities are read' },
				{ displayName: 'Write Band To', name: 'bandField', type: 'string', default: '', placeholder: 'lead_band', description: 'Vendor property the band is written to (e.g. Rating on a Salesforce lead with bands Hot/Warm/Cold)' },
				{ displayName: 'Write Score To', name: 'scoreField', type: 'string', default: '', placeholder: 'lead_score', description: 'Vendor property the score is written to (e.g. a custom number field); all items in one batched update' },
			],
		},
	];
}
