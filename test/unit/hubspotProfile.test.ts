import {
	HUBSPOT_DEFAULT_BASE_URL,
	hubspotHttpProfile,
	parseHubSpotError,
} from '../../nodes/shared/providers/hubspot/profile';

const SCOPE_HINT =
	'The private app is missing a scope. In HubSpot: Settings → Integrations → Private Apps → your app → Scopes, add the scope named above, then commit the change (the token stays the same).';

describe('parseHubSpotError', () => {
	test('401: the hint is about the access token; the correlation id becomes the request id', () => {
		const info = parseHubSpotError(
			401,
			{
				status: 'error',
				message: 'Authentication credentials not found.',
				correlationId: '3e1b5a2c-0000-4000-8000-000000000001',
				category: 'INVALID_AUTHENTICATION',
			},
			{},
		);
		expect(info).toEqual({
			message: 'Authentication credentials not found.',
			code: 'INVALID_AUTHENTICATION',
			requestId: '3e1b5a2c-0000-4000-8000-000000000001',
			hint: 'The access token is invalid, expired or was rotated. Copy the current token from the private app (Settings → Integrations → Private Apps → Auth) into the CRM: HubSpot credential.',
			field: undefined,
		});
		expect(info.hint).toMatch(/token/);
	});

	test('403 MISSING_SCOPES: the hint lists the required granular scopes, once each', () => {
		const info = parseHubSpotError(
			403,
			{
				status: 'error',
				message: "This app hasn't been granted all required scopes to make this call.",
				correlationId: 'c-403',
				category: 'MISSING_SCOPES',
				errors: [
					{
						message: 'One or more of the following scopes are required.',
						context: { requiredGranularScopes: ['crm.objects.contacts.read', 'crm.objects.contacts.write'] },
					},
					{ message: 'Reading associations needs a scope too.', context: { requiredGranularScopes: ['crm.objects.contacts.read'] } },
				],
			},
			{},
		);
		expect(info.code).toBe('MISSING_SCOPES');
		expect(info.hint).toBe(`Required scopes: crm.objects.contacts.read, crm.objects.contacts.write. ${SCOPE_HINT}`);
		expect(info.message).toBe(
			"This app hasn't been granted all required scopes to make this call. (One or more of the following scopes are required.; Reading associations needs a scope too.)",
		);
	});

	test('403 with the older requiredScopes context is read too', () => {
		const info = parseHubSpotError(
			403,
			{ category: 'MISSING_SCOPES', message: 'missing', errors: [{ context: { requiredScopes: ['tickets'] } }] },
			{},
		);
		expect(info.hint).toBe(`Required scopes: tickets. ${SCOPE_HINT}`);
	});

	test('403 mentioning a scope without a list still gets the scope hint; other 403s get none', () => {
		expect(parseHubSpotError(403, { message: 'Missing scope for this endpoint' }, {}).hint).toBe(SCOPE_HINT);
		expect(parseHubSpotError(403, { message: 'Forbidden', category: 'FORBIDDEN' }, {}).hint).toBeUndefined();
	});

	test('429 DAILY: the daily limit is used up', () => {
		const body = {
			status: 'error',
			message: 'You have reached your daily limit.',
			errorType: 'RATE_LIMIT',
			correlationId: 'c-daily',
			policyName: 'DAILY',
		};
		const info = parseHubSpotError(429, body, {});
		expect(info.hint).toBe("The account's daily API limit is used up; it resets at midnight in the account's time zone.");
		expect(info.requestId).toBe('c-daily');
		expect(hubspotHttpProfile('', '100').rateLimitKind!(429, body)).toBe('exhausted');
	});

	test('429 TEN_SECONDLY_ROLLING: a transient burst limit', () => {
		const body = {
			status: 'error',
			message: 'You have reached your ten_secondly_rolling limit.',
			errorType: 'RATE_LIMIT',
			policyName: 'TEN_SECONDLY_ROLLING',
		};
		expect(parseHubSpotError(429, body, {}).hint).toBe(
			"HubSpot rate limit reached even after retries. Lower the batch size or the workflow frequency, or set the credential's rate-limit tier to match the account.",
		);
		const profile = hubspotHttpProfile('', '100');
		expect(profile.rateLimitKind!(429, body)).toBe('transient');
		expect(profile.rateLimitKind!(429, JSON.stringify(body))).toBe('transient');
		expect(profile.rateLimitKind!(429, JSON.stringify({ policyName: 'DAILY' }))).toBe('exhausted');
		expect(profile.rateLimitKind!(429, '<html>Too Many Requests</html>')).toBe('transient');
		expect(profile.rateLimitKind!(400, { policyName: 'DAILY' })).toBeUndefined();
	});

	test('400 VALIDATION_ERROR: the property named in errors[].context becomes the field', () => {
		const info = parseHubSpotError(
			400,
			{
				status: 'error',
				message: 'Property values were not valid',
				correlationId: 'c-400',
				category: 'VALIDATION_ERROR',
				errors: [
					{
						message: '"ten" was not a valid number.',
						code: 'INVALID_DECIMAL',
						context: { propertyName: ['amount'] },
					},
				],
			},
			{},
		);
		expect(info).toEqual({
			message: 'Property values were not valid ("ten" was not a valid number.)',
			code: 'VALIDATION_ERROR',
			requestId: 'c-400',
			hint: undefined,
			field: 'amount',
		});
	});

	test('a propertyName given as a string works; the first detail that names one wins', () => {
		const info = parseHubSpotError(
			400,
			{ message: 'bad', errors: [{ message: 'x' }, { context: { propertyName: 'email' } }, { context: { propertyName: ['phone'] } }] },
			{},
		);
		expect(info.field).toBe('email');
	});

	test('detail messages already in the main message are not repeated; at most five are added', () => {
		const details = ['a', 'b', 'c', 'd', 'e', 'f'].map((m) => ({ message: `detail ${m}` }));
		expect(parseHubSpotError(400, { message: 'Bad: detail a', errors: details }, {}).message).toBe(
			'Bad: detail a (detail b; detail c; detail d; detail e; detail f)',
		);
	});

	test('a JSON body given as a string is parsed', () => {
		const info = parseHubSpotError(404, JSON.stringify({ message: 'Object not found', correlationId: 'c-404', category: 'OBJECT_NOT_FOUND' }), {});
		expect(info).toEqual({
			message: 'Object not found',
			code: 'OBJECT_NOT_FOUND',
			requestId: 'c-404',
			hint: 'Check the record id and that the record was not deleted.',
			field: undefined,
		});
	});

	test('409 hints at upserting', () => {
		expect(parseHubSpotError(409, { message: 'Contact already exists. Existing ID: 123', category: 'CONFLICT' }, {}).hint).toBe(
			'A record with the same unique value (e.g. email) already exists. Use Contact → Create or Update to upsert.',
		);
	});

	test('a plain-text body becomes the message (cut at 300 characters)', () => {
		expect(parseHubSpotError(502, 'Bad Gateway', {}).message).toBe('Bad Gateway');
		expect(parseHubSpotError(502, 'x'.repeat(400), {}).message).toBe('x'.repeat(300));
	});

	test('an HTML, empty or missing body gets a generic message with the status', () => {
		const html = '  <html><body><h1>502 Bad Gateway</h1></body></html>';
		expect(parseHubSpotError(502, html, {})).toEqual({
			message: 'HubSpot answered HTTP 502 without an error message',
			code: undefined,
			requestId: undefined,
			hint: undefined,
			field: undefined,
		});
		expect(parseHubSpotError(500, '', {}).message).toBe('HubSpot answered HTTP 500 without an error message');
		expect(parseHubSpotError(500, undefined, {}).message).toBe('HubSpot answered HTTP 500 without an error message');
		expect(parseHubSpotError(500, { message: '' }, {}).message).toBe('HubSpot answered HTTP 500 without an error message');
		expect(parseHubSpotError(500, ['not', 'an', 'object'], {}).message).toBe('HubSpot answered HTTP 500 without an error message');
	});

	test('the request id comes from the x-hubspot-correlation-id header when the body has none', () => {
		expect(parseHubSpotError(502, '<html></html>', { 'x-hubspot-correlation-id': 'hdr-1' }).requestId).toBe('hdr-1');
		expect(parseHubSpotError(500, {}, { 'x-hubspot-correlation-id': ['hdr-2', 'hdr-3'] }).requestId).toBe('hdr-2');
	});

	test('the body\'s correlation id wins over the header', () => {
		expect(parseHubSpotError(400, { correlationId: 'body-id' }, { 'x-hubspot-correlation-id': 'hdr-1' }).requestId).toBe('body-id');
	});
});

describe('hubspotHttpProfile', () => {
	test('uses the tier for the burst limit and 4/s for search', () => {
		const profile = hubspotHttpProfile('https://api.example.test', '190');
		expect(profile.vendorName).toBe('HubSpot');
		expect(profile.baseUrl).toBe('https://api.example.test');
		expect(profile.rateLimits).toEqual({
			default: { max: 190, windowMs: 10_000 },
			search: { max: 4, windowMs: 1_000 },
		});
		expect(profile.parseError).toBe(parseHubSpotError);
	});

	test('an empty base URL falls back to api.hubapi.com; an unreadable tier to 100', () => {
		const profile = hubspotHttpProfile('', 'abc' as '100');
		expect(profile.baseUrl).toBe(HUBSPOT_DEFAULT_BASE_URL);
		expect(HUBSPOT_DEFAULT_BASE_URL).toBe('https://api.hubapi.com');
		expect(profile.rateLimits.default).toEqual({ max: 100, windowMs: 10_000 });
	});

	describe('rateLimitPauseMs', () => {
		const pause = hubspotHttpProfile('', '100').rateLimitPauseMs!;

		test('pauses for the interval when no requests remain', () => {
			expect(
				pause({ 'x-hubspot-ratelimit-remaining': '0', 'x-hubspot-ratelimit-interval-milliseconds': '10000' }, 'default'),
			).toBe(10_000);
			expect(
				pause({ 'x-hubspot-ratelimit-remaining': ['0'], 'x-hubspot-ratelimit-interval-milliseconds': ['2500'] }, 'default'),
			).toBe(2500);
		});

		test('without a readable interval, pauses 10 s', () => {
			expect(pause({ 'x-hubspot-ratelimit-remaining': '0' }, 'default')).toBe(10_000);
			expect(pause({ 'x-hubspot-ratelimit-remaining': '0', 'x-hubspot-ratelimit-interval-milliseconds': 'soon' }, 'default')).toBe(
				10_000,
			);
		});

		test('no pause while requests remain or without the headers (search)', () => {
			expect(
				pause({ 'x-hubspot-ratelimit-remaining': '5', 'x-hubspot-ratelimit-interval-milliseconds': '10000' }, 'default'),
			).toBeUndefined();
			expect(pause({}, 'search')).toBeUndefined();
		});
	});
});
