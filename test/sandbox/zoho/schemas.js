'use strict';
/**
 * Request body schemas of the Zoho CRM v8 API subset the sandbox speaks, from Zoho's docs:
 * - records: https://www.zoho.com/crm/developer/docs/api/v8/insert-records.html, update-records.html,
 *   upsert-records.html (body keys data ≤100, trigger, lar_id, duplicate_check_fields, process,
 *   wf_trigger, apply_feature_execution, skip_feature_execution)
 * - COQL: https://www.zoho.com/crm/developer/docs/api/v8/COQL-Overview.html ({select_query})
 * - notifications: https://www.zoho.com/crm/developer/docs/api/v8/notifications/enable.html
 * - send mail: https://www.zoho.com/crm/developer/docs/api/v8/send-mail.html
 * - blueprint: https://www.zoho.com/crm/developer/docs/api/v8/update-blueprint.html
 * The key lists agree with the official SDK's models (@zohocrm/typescript-sdk-8.0 json_details).
 * Record fields themselves are checked against the field catalogue in ./seed.js by the server.
 */
const { T } = require('../schemaValidator');

const TRIGGERS = ['workflow', 'approval', 'blueprint', 'pathfinder', 'orchestration'];
const featureList = T.array(T.object({ name: T.string() }, { additional: T.any() }));

const recordsBody = (opts = {}) =>
	T.object(
		{
			data: T.array(T.map(T.any()), { minItems: 1 }),
			trigger: T.array(T.string({ enum: TRIGGERS })),
			lar_id: T.string(),
			wf_trigger: T.string(),
			process: T.array(T.string()),
			apply_feature_execution: featureList,
			skip_feature_execution: featureList,
			...(opts.upsert ? { duplicate_check_fields: T.array(T.string()) } : {}),
		},
		{ required: ['data'] },
	);

const person = T.object({ user_name: T.string(), email: T.string() }, { required: ['email'] });

const BODIES = {
	records: recordsBody(),
	upsert: recordsBody({ upsert: true }),
	coql: T.object({ select_query: T.string() }, { required: ['select_query'] }),
	blueprint: T.object(
		{ blueprint: T.array(T.object({ transition_id: T.string(), data: T.map(T.any()) }, { required: ['transition_id'] }), { minItems: 1, maxItems: 1 }) },
		{ required: ['blueprint'] },
	),
	sendMail: T.object(
		{
			data: T.array(
				T.object(
					{
						from: person,
						to: T.array(person, { minItems: 1, maxItems: 50 }),
						cc: T.array(person, { maxItems: 50 }),
						bcc: T.array(person, { maxItems: 50 }),
						reply_to: person,
						subject: T.string(),
						content: T.string({ maxLength: 100000 }),
						mail_format: T.string({ enum: ['html', 'text'] }),
						org_email: T.boolean(),
						scheduled_time: T.string(),
						template: T.object({ id: T.string() }),
						consent_email: T.boolean(),
						in_reply_to: T.object({ message_id: T.string(), owner: T.any() }),
						attachments: T.array(T.object({ id: T.string() }), { maxItems: 10 }),
						linked_record: T.any(),
						inventory_details: T.any(),
						data_subject_request: T.any(),
					},
					{ required: ['from', 'to', 'subject'] },
				),
				{ minItems: 1 },
			),
		},
		{ required: ['data'] },
	),
	watch: (method) =>
		T.object(
			{
				watch: T.array(
					T.object(
						{
							channel_id: T.anyOf(T.string(), T.integer()),
							events: T.array(T.string(), { minItems: 1 }),
							channel_expiry: T.string(),
							token: T.string(),
							notify_url: T.string(),
							notify_on_related_action: T.boolean(),
							return_affected_field_values: T.boolean(),
							notification_condition: T.array(
								T.object(
									{
										type: T.string({ enum: ['field_selection'] }),
										module: T.object({ api_name: T.string(), id: T.anyOf(T.string(), T.integer()) }),
										field_selection: T.any(),
									},
									{ required: ['type', 'module', 'field_selection'] },
								),
								{ maxItems: 2 },
							),
							_delete_events: T.boolean(),
						},
						{ required: method === 'PATCH' ? ['channel_id', 'events'] : ['channel_id', 'events', 'notify_url'] },
					),
					{ minItems: 1, maxItems: 50 },
				),
			},
			{ required: ['watch'] },
		),
};

module.exports = { BODIES, TRIGGERS };
