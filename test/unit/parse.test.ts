import { parseCalendarDate, parseEnum, parseInstant, parseIsoInstant, parseLimit, parseNumber, ownKey, show } from '../../nodes/shared/model/parse';
import { CrmInputError } from '../../nodes/shared/transport/errors';
import { forgetSecrets, redact, redactDeep, registerBasicAuth, registerSecrets } from '../../nodes/shared/transport/redact';

const refusal = (fn: () => unknown) => {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(CrmInputError);
		return { message: (error as CrmInputError).message, field: (error as CrmInputError).field, hint: (error as CrmInputError).hint };
	}
	throw new Error('not refused');
};

describe('dates', () => {
	test.each(['No Such Thing 42', '12345', '-1', '2026', '2026-02-30', '2026-13-01', '2026-12-01T24:00', '12/01/2026', 'tomorrow', '', '9999-01-01', '2026-12-01Tgarbage'])('%j is refused', (value) => {
		expect(refusal(() => parseInstant(value, 'closeDate'))).toMatchObject({ field: 'closeDate', message: expect.stringContaining('is not a date') });
	});

	test('non-strings are refused with a readable value, never [object Object]', () => {
		expect(refusal(() => parseInstant({ a: 1 }, 'dueAt')).message).toBe('{"a":1} is not a date');
		expect(refusal(() => parseInstant(1.5, 'dueAt')).message).toContain('epoch milliseconds');
		expect(refusal(() => parseInstant(1e15, 'dueAt')).message).toContain('years 1700–4000');
		expect(refusal(() => parseInstant(Number.NaN, 'dueAt')).message).toContain('"NaN"');
	});

	test('ISO dates, date-times with zones, epoch milliseconds and HTTP dates are read exactly', () => {
		expect(parseInstant('2026-12-01', 'd')).toBe(Date.UTC(2026, 11, 1));
		expect(parseIsoInstant('2026-12-01T10:00:00+02:00', 'd')).toBe('2026-12-01T08:00:00.000Z');
		expect(parseIsoInstant('2026-12-01 10:00:00', 'd', { naive: 'utc' })).toBe('2026-12-01T10:00:00.000Z');
		expect(parseIsoInstant('2026-12-01T10:00:00.250Z', 'd')).toBe('2026-12-01T10:00:00.250Z');
		expect(parseInstant('1764583200000', 'd')).toBe(1764583200000);
		expect(parseInstant(1764583200000, 'd')).toBe(1764583200000);
		expect(parseIsoInstant('Wed, 21 Oct 2026 07:28:00 GMT', 'd')).toBe('2026-10-21T07:28:00.000Z');
		expect(parseInstant('2028-02-29', 'd')).toBe(Date.UTC(2028, 1, 29));
	});

	test('a calendar date keeps the date as written, an instant gives its UTC date', () => {
		expect(parseCalendarDate('2026-12-01T23:30:00-05:00', 'closeDate')).toBe('2026-12-01');
		expect(parseCalendarDate(Date.UTC(2026, 11, 1, 23), 'closeDate')).toBe('2026-12-01');
		expect(() => parseCalendarDate('2026-12-32', 'closeDate')).toThrow(CrmInputError);
	});
});

describe('numbers, limits, enums', () => {
	test('numbers: exact or refused', () => {
		expect(parseNumber('1,250.50', 'amount')).toBe(1250.5);
		expect(parseNumber('1 250', 'amount')).toBe(1250);
		expect(parseNumber(' -3.5e2 ', 'amount')).toBe(-350);
		for (const bad of ['ten', 'NaN', 'Infinity', '1e999', '12abc', '1,25', '', true, null, [1], { v: 1 }]) {
			expect(refusal(() => parseNumber(bad, 'amount'))).toMatchObject({ field: 'amount', hint: expect.stringContaining('Use a number') });
		}
		expect(refusal(() => parseNumber('2', 'probability', { min: 0, max: 1, what: 'a probability' }))).toMatchObject({ message: '"2" is not a probability', hint: expect.stringContaining('at most 1') });
	});

	test('limits are whole numbers from 1', () => {
		expect(parseLimit('25')).toBe(25);
		for (const bad of ['abc', 0, -5, 2.5, Number.NaN]) expect(refusal(() => parseLimit(bad)).field).toBe('limit');
	});

	test('enums match any case and aliases, and list the valid values', () => {
		expect(parseEnum('HIGH', 'priority', ['low', 'medium', 'high'] as const)).toBe('high');
		expect(parseEnum('normal', 'priority', ['low', 'medium', 'high'] as const, { normal: 'medium' })).toBe('medium');
		expect(refusal(() => parseEnum('__proto__', 'priority', ['low', 'high'] as const))).toEqual({ message: '"__proto__" is not a valid priority', field: 'priority', hint: 'Valid: low, high.' });
		expect(ownKey({ a: 1 }, '__proto__')).toBeUndefined();
		expect(ownKey({ a: 1 }, 'constructor')).toBeUndefined();
		expect(show({ toString: 1 })).toBe('{"toString":1}');
	});
});

describe('redaction', () => {
	afterEach(() => forgetSecrets());

	test('registered values and their encodings are removed wherever they stand', () => {
		registerSecrets(['s3cr3t-api-key-value']);
		registerBasicAuth('admin', 'hunter2-password');
		const basic = Buffer.from('admin:hunter2-password').toString('base64');
		const hmac = Buffer.from('s3cr3t-api-key-value:abcdef0123').toString('base64');
		const text = redact(`key s3cr3t-api-key-value, url s3cr3t%2Dapi, basic ${basic}, hmac ${hmac}, pw hunter2-password`);
		expect(text).not.toContain('s3cr3t-api-key-value');
		expect(text).not.toContain(basic);
		expect(text).not.toContain(hmac.slice(0, 24));
		expect(text).not.toContain('hunter2-password');
	});

	test('secret shapes are removed without knowing the value', () => {
		const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl';
		const samples = [
			'Authorization: Bearer abc.def-123',
			'{"authorization":"Bearer abc.def-123","x-api-key":"k-123456"}',
			'{\\"access_token\\":\\"00Dxx0000001gPF!AQ4AQFakeToken123\\"}',
			'grant_type=urn&assertion=' + jwt + '&client_secret=shh123456',
			`refresh_token=5Aep861fake.refresh&password=p4ssw0rd!`,
			'X-Hmac-Authorization: dGVzdC1rZXk6c2lnbmF0dXJl',
			'token pat-na1-11111111-2222-3333-4444-555555555555 expired',
		];
		for (const sample of samples) {
			const out = redact(sample);
			for (const secret of ['abc.def-123', 'k-123456', 'AQ4AQFakeToken123', jwt, 'shh123456', '5Aep861fake.refresh', 'p4ssw0rd!', 'dGVzdC1rZXk6c2lnbmF0dXJl', '555555555555']) {
				expect([sample, out.includes(secret)]).toEqual([sample, false]);
			}
		}
	});

	test('ordinary vendor messages are left as they are', () => {
		for (const text of ['Property values were not valid', 'Session expired or invalid', 'Basic information is missing', 'The token is expired']) expect(redact(text)).toBe(text);
	});

	test('redactDeep drops values of secret-named keys and redacts every string', () => {
		expect(redactDeep({ headers: { Authorization: 'Bearer x1234567' }, list: ['Bearer y1234567'], n: 1 })).toEqual({ headers: { Authorization: '[redacted]' }, list: ['Bearer [redacted]'], n: 1 });
	});
});
