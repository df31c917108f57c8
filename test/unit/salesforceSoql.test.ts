/* eslint-disable */
// SOQL text from user values: escaping, typed literals, names, and where/order from normalized queries.
import { and, soql, soqlContains, soqlCount, soqlDate, soqlDateTime, soqlField, soqlIn, soqlLiteral, soqlString } from '../../nodes/shared/providers/salesforce/soql';
import { orderByOf, whereOf } from '../../nodes/shared/providers/salesforce/search';
import { CrmInputError } from '../../nodes/shared/transport/errors';

/** Reads a SOQL string literal back the way Salesforce does (its documented escape sequences). */
function unquote(literal: string): string {
	expect(literal.startsWith("'") && literal.endsWith("'")).toBe(true);
	const body = literal.slice(1, -1);
	let out = '';
	for (let i = 0; i < body.length; i++) {
		const c = body[i];
		if (c === "'") throw new Error(`unescaped quote at ${i} in ${literal}`);
		if (c !== '\\') {
			out += c;
			continue;
		}
		const next = body[++i];
		const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\', '%': '%', _: '_' };
		if (!(next in map)) throw new Error(`invalid escape \\${next} in ${literal}`);
		out += map[next];
	}
	return out;
}

describe('soqlString', () => {
	test.each([
		["O'Brien"],
		["x' OR Name != '"],
		['back\\slash'],
		['tab\tnew\nline\rcr'],
		['"quoted"'],
		["\\' OR 1=1 --"],
		['bell\b form\f'],
		['ünïcødé ✓'],
	])('%j round-trips and cannot end the literal early', (value) => {
		const literal = soqlString(value);
		expect(unquote(literal)).toBe(value);
	});

	test('an injection attempt stays one string literal', () => {
		const where = `Email = ${soqlString("a@b.c' OR Email != '")}`;
		// The only unescaped quotes are the literal's own two.
		expect(where.replace(/\\./g, '').match(/'/g)).toHaveLength(2);
	});
});

test('LIKE patterns escape the value\'s own wildcards', () => {
	const pattern = soqlContains("50%_off's");
	expect(pattern).toBe("'%50\\%\\_off\\'s%'");
	expect(unquote(pattern)).toBe('%50%_off\'s%');
});

test('names must be API names; relationship paths allowed', () => {
	expect(soqlField('Email')).toBe('Email');
	expect(soqlField('My_Field__c')).toBe('My_Field__c');
	expect(soqlField('Owner.Email')).toBe('Owner.Email');
	for (const bad of ['Email, (SELECT Id FROM User)', "Name'", 'Name FROM User --', '', '1abc', 'a b']) {
		expect(() => soqlField(bad)).toThrow(CrmInputError);
	}
});

test('typed literals', () => {
	expect(soqlLiteral('42', 'number', 'amount')).toBe('42');
	expect(() => soqlLiteral('42; DELETE', 'number', 'amount')).toThrow(/not a number/);
	expect(soqlLiteral('TRUE', 'boolean', 'x')).toBe('true');
	expect(() => soqlLiteral('yes', 'boolean', 'x')).toThrow(/true or false/);
	expect(soqlLiteral('2026-11-20', 'date', 'closeDate')).toBe('2026-11-20');
	expect(soqlLiteral('2026-11-20T09:30:15.123+01:00', 'datetime', 'createdAt')).toBe('2026-11-20T08:30:15Z');
	expect(() => soqlLiteral("2026' OR x", 'date', 'closeDate')).toThrow(/not a date/);
	expect(soqlLiteral(null, 'string', 'x')).toBe('null');
	expect(soqlLiteral("it's", 'id', 'ownerId')).toBe("'it\\'s'");
	expect(soqlDateTime(Date.parse('2026-11-20T09:00:00.999Z'))).toBe('2026-11-20T09:00:00Z');
	expect(soqlDate(Date.parse('2026-11-20T23:59:59Z'))).toBe('2026-11-20');
});

test('query text', () => {
	expect(soql({ select: ['Id', 'Name', 'Id'], from: 'Account', where: and(['Name = null', 'A = 1 OR B = 2']), orderBy: 'Name ASC', limit: 5 })).toBe(
		'SELECT Id, Name FROM Account WHERE Name = null AND (A = 1 OR B = 2) ORDER BY Name ASC LIMIT 5',
	);
	expect(soqlCount('Task', "OwnerId = '005'")).toBe("SELECT COUNT() FROM Task WHERE OwnerId = '005'");
	expect(soqlIn('Id', ['a', "b'"])).toBe("Id IN ('a', 'b\\'')");
	expect(() => soql({ select: ['Id'], from: 'Account; DROP' })).toThrow(CrmInputError);
});

test('normalized filters become SOQL conditions with typed values', () => {
	const where = whereOf('Opportunity', {
		filters: [
			{ field: 'amount', operator: 'gte', value: '1000' },
			{ field: 'stageId', operator: 'in', value: 'Prospecting, Closed Won' },
			{ field: 'name', operator: 'contains', value: "O'Neil 100%" },
			{ field: 'closeDate', operator: 'lt', value: '2026-12-31' },
			{ field: 'ownerId', operator: 'exists' },
			{ field: 'Custom__c', operator: 'neq', value: 'x' },
		],
		text: 'acme',
	});
	expect(where).toBe(
		"Amount >= 1000 AND StageName IN ('Prospecting', 'Closed Won') AND Name LIKE '%O\\'Neil 100\\%%' AND CloseDate < 2026-12-31 AND OwnerId != null AND Custom__c != 'x' AND Name LIKE '%acme%'",
	);
	expect(() => whereOf('Lead', { filters: [{ field: 'email', operator: 'like' as any, value: 'x' }] })).toThrow(/not a search operator/);
	expect(() => whereOf('Lead', { filters: [{ field: "Email') OR (Id", operator: 'eq', value: 'x' }] })).toThrow(/not a Salesforce field name/);
	// A custom field's type comes from describe: numbers are not quoted.
	const describe = { name: 'Lead', fields: [{ name: 'Score__c', type: 'double' }] };
	expect(whereOf('Lead', { filters: [{ field: 'Score__c', operator: 'gt', value: '5' }] }, { describe })).toBe('Score__c > 5');
	expect(orderByOf('Task', { field: 'dueAt', direction: 'asc' })).toBe('ActivityDate ASC, Id ASC');
});
