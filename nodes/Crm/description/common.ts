import type { INodeProperties } from 'n8n-workflow';

/** Builders for parameters many resources share, so each resource file lists only its own. */

export const show = (resource: string[], operation?: string[]) => ({
	show: { resource, ...(operation ? { operation } : {}) },
});

export function recordIdField(resource: string, operations: string[], displayName = 'Record ID'): INodeProperties {
	return {
		displayName,
		name: 'recordId',
		type: 'string',
		required: true,
		default: '',
		description: `The ID of the ${resource} in the CRM`,
		displayOptions: show([resource], operations),
	};
}

export function customPropertiesField(resource: string, operations: string[]): INodeProperties {
	return {
		displayName: 'Custom Properties',
		name: 'customProperties',
		type: 'fixedCollection',
		placeholder: 'Add Property',
		typeOptions: { multipleValues: true },
		default: {},
		description: "CRM properties written as they are, by the CRM's own property name (e.g. custom fields)",
		displayOptions: show([resource], operations),
		options: [
			{
				displayName: 'Property',
				name: 'property',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', description: "The CRM's internal property name" },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	};
}

export function associationsField(resource: string, operations: string[], types: string[]): INodeProperties {
	return {
		displayName: 'Associate With',
		name: 'associations',
		type: 'fixedCollection',
		placeholder: 'Add Record',
		typeOptions: { multipleValues: true },
		default: {},
		displayOptions: show([resource], operations),
		options: [
			{
				displayName: 'Record',
				name: 'record',
				values: [
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						options: types.map((t) => ({ name: t[0].toUpperCase() + t.slice(1), value: t })),
						default: 'contact',
					},
					{ displayName: 'ID', name: 'id', type: 'string', default: '' },
				],
			},
		],
	};
}

export function searchFields(resource: string, fieldNames: string[]): INodeProperties[] {
	const ops = ['search'];
	return [
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'fixedCollection',
			placeholder: 'Add Filter',
			typeOptions: { multipleValues: true },
			default: {},
			description: 'All filters must match',
			displayOptions: show([resource], ops),
			options: [
				{
					displayName: 'Filter',
					name: 'filter',
					values: [
						{
							displayName: 'Field',
							name: 'field',
							type: 'string',
							default: '',
							placeholder: fieldNames[0],
							description: `A field of the normalized ${resource} (${fieldNames.join(', ')}) or a CRM property name`,
						},
						{
							displayName: 'Operator',
							name: 'operator',
							type: 'options',
							options: [
								{ name: 'Contains', value: 'contains' },
								{ name: 'Equals', value: 'eq' },
								{ name: 'Exists', value: 'exists' },
								{ name: 'Greater Than', value: 'gt' },
								{ name: 'Greater Than or Equal', value: 'gte' },
								{ name: 'In List', value: 'in' },
								{ name: 'Less Than', value: 'lt' },
								{ name: 'Less Than or Equal', value: 'lte' },
								{ name: 'Not Equals', value: 'neq' },
								{ name: 'Not Exists', value: 'notExists' },
								{ name: 'Not In List', value: 'notIn' },
							],
							default: 'eq',
						},
						{
							displayName: 'Value',
							name: 'value',
							type: 'string',
							default: '',
							description: 'For "In List", separate values with commas',
						},
					],
				},
			],
		},
		{
			displayName: 'Search Text',
			name: 'searchText',
			type: 'string',
			default: '',
			description: 'Free-text search across the default searchable fields, where the CRM supports it',
			displayOptions: show([resource], ops),
		},
		...returnAllAndLimit(resource, ops),
	];
}

export function returnAllAndLimit(resource: string, operations: string[]): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: show([resource], operations),
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { resource: [resource], operation: operations, returnAll: [false] } },
		},
	];
}

/** Pipeline picker: a list loaded from the CRM, or a name / ID typed or mapped. */
export function pipelineLocator(resource: string, operations: string[], required = true): INodeProperties {
	return {
		displayName: 'Pipeline',
		name: 'pipeline',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required,
		description: 'The pipeline, by name or ID',
		displayOptions: show([resource], operations),
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchPipelines', searchable: true },
			},
			// Short mode names: n8n's mode selector is narrow and cuts longer ones ("By Name or ID"
			// showed as "By Name"). Both typed modes take a name or an ID; they differ in the hint.
			{ displayName: 'By Name', name: 'name', type: 'string', placeholder: 'Sales Pipeline' },
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'default' },
		],
	};
}

/** Stage picker: names from the CRM (within the chosen pipeline when there is one). */
export function stageLocator(resource: string, operations: string[], displayName = 'Stage'): INodeProperties {
	return {
		displayName,
		name: 'stage',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description:
			"The stage, by name or ID. Names are matched within the record's pipeline, so a workflow keeps working when the CRM changes.",
		displayOptions: show([resource], operations),
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchStages', searchable: true },
			},
			{ displayName: 'By Name', name: 'name', type: 'string', placeholder: 'Contract sent' },
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'contractsent' },
		],
	};
}

export function transitionGuardField(resource: string, operations: string[]): INodeProperties {
	return {
		displayName: 'Allowed Transitions',
		name: 'allowedTransitions',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		placeholder: 'New → Qualified → Proposal → Won\nProposal → Lost',
		description:
			'Optional process guard: chains of stage names, one per line ("→" or "->"). A move not on a chain fails with the allowed moves. Empty allows every move.',
		displayOptions: show([resource], operations),
	};
}

/** The assignment strategy block, for Assign Owner and Assign Task. */
export function assignmentFields(resource: string, operations: string[]): INodeProperties[] {
	const when = (strategy: string[]) => ({ show: { resource: [resource], operation: operations, strategy } });
	return [
		{
			displayName: 'Assignment Strategy',
			name: 'strategy',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Least Loaded',
					value: 'leastLoaded',
					description: 'The user with the fewest open records, counted by the CRM at run time',
				},
				{ name: 'Round Robin', value: 'roundRobin', description: 'Take turns through a list of users' },
				{ name: 'Rules', value: 'rules', description: 'The first rule that matches the input item picks the user' },
				{ name: 'Specific User', value: 'specific', description: 'Always the same user' },
			],
			default: 'specific',
			displayOptions: show([resource], operations),
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			required: true,
			displayOptions: when(['specific']),
			modes: [
				{
					displayName: 'From List',
					name: 'list',
					type: 'list',
					typeOptions: { searchListMethod: 'searchUsers', searchable: true },
				},
				{ displayName: 'By Email', name: 'email', type: 'string', placeholder: 'ana@example.com' },
				{ displayName: 'By ID', name: 'id', type: 'string', placeholder: '75480123' },
			],
		},
		{
			displayName: 'User Names or IDs',
			name: 'users',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getUsers' },
			default: [],
			required: true,
			description: 'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			hint: 'An expression may also give user emails, comma-separated',
			displayOptions: when(['roundRobin', 'leastLoaded']),
		},
		{
			displayName: 'Count Open',
			name: 'countResource',
			type: 'options',
			options: [
				{ name: 'Deals', value: 'deal' },
				{ name: 'Leads', value: 'lead' },
				{ name: 'Tasks', value: 'task' },
				{ name: 'Tickets', value: 'ticket' },
			],
			default: 'task',
			description: 'Which open records make up a user\'s load',
			displayOptions: when(['leastLoaded']),
		},
		{
			displayName: 'Rules',
			name: 'rules',
			type: 'fixedCollection',
			placeholder: 'Add Rule',
			typeOptions: { multipleValues: true, sortable: true },
			default: {},
			description: 'Checked in order; the first match wins',
			displayOptions: when(['rules']),
			options: [
				{
					displayName: 'Rule',
					name: 'rule',
					values: [
						{
							displayName: 'Field',
							name: 'field',
							type: 'string',
							default: '',
							placeholder: 'record.company',
							description: 'A field of the input item; dots reach into objects',
						},
						{
							displayName: 'Operator',
							name: 'operator',
							type: 'options',
							options: [
								{ name: 'Contains', value: 'contains' },
								{ name: 'Equals', value: 'equals' },
								{ name: 'Greater Than', value: 'greaterThan' },
								{ name: 'Is Empty', value: 'isEmpty' },
								{ name: 'Is Not Empty', value: 'isNotEmpty' },
								{ name: 'Less Than', value: 'lessThan' },
								{ name: 'Not Equals', value: 'notEquals' },
								{ name: 'Starts With', value: 'startsWith' },
							],
							default: 'equals',
						},
						{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						{
							displayName: 'User',
							name: 'user',
							type: 'string',
							default: '',
							placeholder: 'ana@example.com',
							description: 'Email, ID or full name of the user this rule assigns',
						},
					],
				},
			],
		},
		{
			displayName: 'Fallback User',
			name: 'fallbackUser',
			type: 'string',
			default: '',
			placeholder: 'team-lead@example.com',
			description: 'Email, ID or name of the user to assign when no rule matches; empty makes that item fail',
			displayOptions: when(['rules']),
		},
	];
}
