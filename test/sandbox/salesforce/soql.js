'use strict';
/**
 * A SOQL subset: parser and evaluator for the sandbox's /query resource.
 *
 *   SELECT <fields | COUNT()> FROM <SObject> [WHERE <condition>]
 *     [ORDER BY field [ASC|DESC] [NULLS FIRST|LAST], ...] [LIMIT n] [OFFSET n]
 *
 * Conditions: comparisons combined with AND / OR / NOT and parentheses (SOQL needs parentheses
 * to mix AND and OR at one level); operators = != <> < <= > >= LIKE IN NOT IN; literals:
 * single-quoted strings, numbers, true / false, null, dates (2026-11-20), dateTimes
 * (2026-11-20T09:00:00Z, ±hh:mm, ±hhmm, optional milliseconds) and the date literals YESTERDAY,
 * TODAY and TOMORROW. Field and object names are case-insensitive. Everything else (relationship
 * fields such as Owner.Name, subqueries, GROUP BY, aggregate functions other than COUNT(), other
 * date literals, WITH, FOR, TYPEOF, INCLUDES / EXCLUDES …) is rejected with MALFORMED_QUERY,
 * never ignored.
 *
 * Sources (SOQL and SOSL Reference, https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/):
 * - escape sequences \n \N \r \R \t \T \b \B \f \F \" \' \\ \uXXXX; \_ and \% only in LIKE;
 *   "If you use a backslash character in any other context, an error occurs":
 *   sforce-api-calls-soql-select-quotedstringescapes.html
 * - comparison operators; strings compare case-insensitively (except unique case-sensitive
 *   fields, none modelled); LIKE with % and _ wildcards, "supported for string fields only":
 *   sforce-api-calls-soql-select-comparisonoperators.html
 * - date formats (date fields only take dates, dateTime fields only dateTimes; no quotes) and
 *   date literals (each a range from midnight for 24 hours; = inside, < > either side):
 *   sforce-api-calls-soql-select-dateformats.html
 * - ORDER BY: ascending by default, "By default, null values are sorted first", sorting is case
 *   insensitive: sforce-api-calls-soql-select-orderby.html
 * - OFFSET: "The maximum offset is 2,000 rows. Requesting an offset greater than 2,000 results in
 *   a NUMBER_OUTSIDE_VALID_RANGE error": sforce-api-calls-soql-select-offset.html
 * - FieldDefinition (Tooling API object): COUNT(), GROUP BY, LIMIT, OFFSET, OR, NOT and INCLUDES
 *   are unsupported ("Only equals comparisons permitted"):
 *   https://developer.salesforce.com/docs/platform/api-tooling/guide/reference-objects-soql-limits.html
 * - Error texts "No such column 'X' on entity 'Y'. If you are attempting to use a custom field…"
 *   (INVALID_FIELD) and "sObject type 'X' is not supported…" (INVALID_TYPE) with the
 *   "ERROR at Row:1:Column:N" prefix: https://github.com/restforce/restforce/issues/559,
 *   https://github.com/salesforce-python-client/pyforce/issues/25 (secondary).
 *
 * Choices the docs leave open: dates and date literals use UTC (the org time zone of the
 * sandbox); != and NOT IN match records whose field is null; without ORDER BY rows come in Id
 * (creation) order; ties in ORDER BY fall back to Id order; OFFSET > 2000 uses the message
 * "Maximum SOQL offset allowed is 2000" (unverified).
 */
const { OBJECTS, objectName, fieldDef } = require('./objects');
const { normalizeId } = require('./ids');
const { parseDateTime, formatDate, toJson } = require('./values');
const { SfError } = require('./store');

const KEYWORDS = new Set(['SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'LIKE', 'IN', 'ORDER', 'BY', 'ASC', 'DESC', 'NULLS', 'FIRST', 'LAST', 'LIMIT', 'OFFSET', 'TRUE', 'FALSE', 'NULL', 'COUNT']);
const UNSUPPORTED = new Set(['GROUP', 'HAVING', 'WITH', 'FOR', 'USING', 'TYPEOF', 'INCLUDES', 'EXCLUDES', 'ROLLUP', 'CUBE', 'FORMAT', 'TOLABEL', 'CONVERTCURRENCY', 'CONVERTTIMEZONE', 'UPDATE', 'VIEW', 'REFERENCE', 'TRACKING', 'SUM', 'AVG', 'MIN', 'MAX', 'COUNT_DISTINCT', 'FIELDS', 'DISTANCE', 'GEOLOCATION', 'ABOVE', 'BELOW', 'AT']);
const DATE_LITERALS = { YESTERDAY: -1, TODAY: 0, TOMORROW: 1 };
const STRING_FIELD_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'combobox']);
const NUMBER_FIELD_TYPES = new Set(['double', 'currency', 'percent', 'int']);
const DAY = 86_400_000;

const CUSTOM_FIELD_HINT =
	"If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";
const CUSTOM_OBJECT_HINT =
	"If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.";

/** An error in Salesforce's query error shape: the query, a caret, "ERROR at Row:r:Column:c", the message. */
function queryError(errorCode, query, pos, message) {
	const before = query.slice(0, pos);
	const row = before.split('\n').length;
	const lineStart = before.lastIndexOf('\n') + 1;
	const lineEnd = query.indexOf('\n', pos) < 0 ? query.length : query.indexOf('\n', pos);
	const col = pos - lineStart + 1;
	const text = `\n${query.slice(lineStart, lineEnd)}\n${' '.repeat(col - 1)}^\nERROR at Row:${row}:Column:${col}\n${message}`;
	return new SfError(400, [{ message: text, errorCode }]);
}

// ---------------------------------------------------------------------------------- tokenizer

const DATETIME_TOKEN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})/;
const DATE_TOKEN = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const NUMBER_TOKEN = /^-?\d+(\.\d+)?(?![\w.])/;
const IDENT_TOKEN = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/;

function tokenize(query) {
	const tokens = [];
	let i = 0;
	while (i < query.length) {
		const rest = query.slice(i);
		const ws = /^\s+/.exec(rest);
		if (ws) {
			i += ws[0].length;
			continue;
		}
		const c = rest[0];
		if (c === "'") {
			const { token, end } = readString(query, i);
			tokens.push(token);
			i = end;
			continue;
		}
		let m;
		if ((m = DATETIME_TOKEN.exec(rest))) {
			tokens.push({ kind: 'datetime', text: m[0], pos: i });
			i += m[0].length;
			continue;
		}
		if ((m = DATE_TOKEN.exec(rest))) {
			tokens.push({ kind: 'date', text: m[0], pos: i });
			i += m[0].length;
			continue;
		}
		if ((m = NUMBER_TOKEN.exec(rest))) {
			tokens.push({ kind: 'number', text: m[0], value: Number(m[0]), pos: i });
			i += m[0].length;
			continue;
		}
		if ((m = IDENT_TOKEN.exec(rest))) {
			tokens.push({ kind: 'ident', text: m[0], upper: m[0].toUpperCase(), pos: i });
			i += m[0].length;
			continue;
		}
		const op = ['!=', '<>', '<=', '>=', '=', '<', '>'].find((o) => rest.startsWith(o));
		if (op) {
			tokens.push({ kind: 'op', text: op, pos: i });
			i += op.length;
			continue;
		}
		if ('(),:'.includes(c)) {
			tokens.push({ kind: c, text: c, pos: i });
			i += 1;
			continue;
		}
		throw queryError('MALFORMED_QUERY', query, i, `unexpected token: '${c}'`);
	}
	tokens.push({ kind: 'eof', text: '<EOF>', pos: query.length });
	return tokens;
}

const SIMPLE_ESCAPES = { n: '\n', N: '\n', r: '\r', R: '\r', t: '\t', T: '\t', b: '\b', B: '\b', f: '\f', F: '\f', '"': '"', "'": "'", '\\': '\\' };

/**
 * Reads a quoted string. `value` is the text with escapes resolved; `parts` keeps each character
 * with a flag telling whether it was escaped, so LIKE can tell \% (a literal %) from % (wildcard).
 */
function readString(query, start) {
	const parts = [];
	let i = start + 1;
	let likeEscapes = false;
	while (i < query.length) {
		const c = query[i];
		if (c === "'") {
			return { token: { kind: 'string', text: query.slice(start, i + 1), value: parts.map((p) => p.ch).join(''), parts, likeEscapes, pos: start }, end: i + 1 };
		}
		if (c === '\\') {
			const next = query[i + 1];
			if (next === undefined) break;
			if (SIMPLE_ESCAPES[next] !== undefined) {
				parts.push({ ch: SIMPLE_ESCAPES[next], escaped: true });
				i += 2;
				continue;
			}
			if (next === '%' || next === '_') {
				parts.push({ ch: next, escaped: true });
				likeEscapes = true;
				i += 2;
				continue;
			}
			if (next === 'u' && /^[0-9A-Fa-f]{4}$/.test(query.slice(i + 2, i + 6))) {
				parts.push({ ch: String.fromCharCode(parseInt(query.slice(i + 2, i + 6), 16)), escaped: true });
				i += 6;
				continue;
			}
			throw queryError('MALFORMED_QUERY', query, i, `Invalid string literal '${query.slice(start, Math.min(query.length, i + 2))}'. Illegal character sequence '\\${next}' in string literal.`);
		}
		parts.push({ ch: c, escaped: false });
		i += 1;
	}
	throw queryError('MALFORMED_QUERY', query, start, `unexpected token: '${query.slice(start, start + 20)}' (unterminated string)`);
}

// ---------------------------------------------------------------------------------- parser

function parse(query) {
	if (typeof query !== 'string' || query.trim() === '') {
		throw new SfError(400, [{ message: 'A query string has to be specified', errorCode: 'MALFORMED_QUERY' }]);
	}
	const tokens = tokenize(query);
	let at = 0;
	const peek = () => tokens[at];
	const next = () => tokens[at++];
	const isKw = (tok, kw) => tok.kind === 'ident' && tok.upper === kw;
	const unexpected = (tok) => {
		if (tok.kind === 'ident' && UNSUPPORTED.has(tok.upper)) {
			return queryError('MALFORMED_QUERY', query, tok.pos, `'${tok.text}' is not supported by this sandbox (see test/sandbox/salesforce/soql.js)`);
		}
		return queryError('MALFORMED_QUERY', query, tok.pos, `unexpected token: '${tok.text}'`);
	};
	const expectKw = (kw) => {
		const tok = next();
		if (!isKw(tok, kw)) throw unexpected(tok);
		return tok;
	};

	const ast = { query, fields: [], count: false, object: undefined, where: null, orderBy: [], limit: undefined, offset: undefined };
	expectKw('SELECT');
	if (isKw(peek(), 'COUNT')) {
		const countTok = next();
		if (next().kind !== '(') throw unexpected(tokens[at - 1]);
		const close = next();
		if (close.kind !== ')') {
			throw queryError('MALFORMED_QUERY', query, countTok.pos, 'only COUNT() is supported by this sandbox (COUNT(field) and other aggregate functions are not)');
		}
		ast.count = true;
		ast.countPos = countTok.pos;
	} else {
		for (;;) {
			const tok = next();
			if (tok.kind === '(') throw queryError('MALFORMED_QUERY', query, tok.pos, 'subqueries are not supported by this sandbox');
			if (tok.kind !== 'ident' || (KEYWORDS.has(tok.upper) && tok.upper !== 'COUNT') || UNSUPPORTED.has(tok.upper)) throw unexpected(tok);
			if (peek().kind === '(') throw queryError('MALFORMED_QUERY', query, tok.pos, `function ${tok.text}() is not supported by this sandbox`);
			ast.fields.push({ name: tok.text, pos: tok.pos });
			if (peek().kind !== ',') break;
			next();
		}
	}
	expectKw('FROM');
	const objectTok = next();
	if (objectTok.kind !== 'ident' || KEYWORDS.has(objectTok.upper) || objectTok.text.includes('.')) throw unexpected(objectTok);
	ast.object = { name: objectTok.text, pos: objectTok.pos };

	if (isKw(peek(), 'WHERE')) {
		next();
		ast.where = parseOr();
	}
	if (isKw(peek(), 'ORDER')) {
		next();
		expectKw('BY');
		for (;;) {
			const tok = next();
			if (tok.kind !== 'ident' || KEYWORDS.has(tok.upper)) throw unexpected(tok);
			if (peek().kind === '(') throw queryError('MALFORMED_QUERY', query, tok.pos, `function ${tok.text}() is not supported by this sandbox`);
			const item = { field: { name: tok.text, pos: tok.pos }, desc: false, nullsLast: false };
			if (isKw(peek(), 'ASC') || isKw(peek(), 'DESC')) item.desc = next().upper === 'DESC';
			if (isKw(peek(), 'NULLS')) {
				next();
				const which = next();
				if (!isKw(which, 'FIRST') && !isKw(which, 'LAST')) throw unexpected(which);
				item.nullsLast = which.upper === 'LAST';
			}
			ast.orderBy.push(item);
			if (peek().kind !== ',') break;
			next();
		}
	}
	if (isKw(peek(), 'LIMIT')) {
		next();
		const tok = next();
		if (tok.kind !== 'number' || !Number.isInteger(tok.value) || tok.value < 0) throw unexpected(tok);
		ast.limit = tok.value;
		ast.limitPos = tok.pos;
	}
	if (isKw(peek(), 'OFFSET')) {
		next();
		const tok = next();
		if (tok.kind !== 'number' || !Number.isInteger(tok.value) || tok.value < 0) throw unexpected(tok);
		ast.offset = tok.value;
		ast.offsetPos = tok.pos;
	}
	if (peek().kind !== 'eof') throw unexpected(peek());
	return ast;

	// condition grammar: OR / AND chains may not be mixed without parentheses (SOQL rule)
	function parseOr() {
		const first = parseAnd();
		if (!isKw(peek(), 'OR')) return first;
		const items = [first];
		while (isKw(peek(), 'OR')) {
			next();
			items.push(parseAnd());
		}
		if (isKw(peek(), 'AND')) throw unexpected(peek());
		return { kind: 'or', items };
	}
	function parseAnd() {
		const first = parseNot();
		if (!isKw(peek(), 'AND')) return first;
		const items = [first];
		while (isKw(peek(), 'AND')) {
			next();
			items.push(parseNot());
		}
		if (isKw(peek(), 'OR')) throw unexpected(peek());
		return { kind: 'and', items };
	}
	function parseNot() {
		if (isKw(peek(), 'NOT')) {
			const tok = next();
			return { kind: 'not', item: parseNot(), pos: tok.pos };
		}
		if (peek().kind === '(') {
			next();
			if (isKw(peek(), 'SELECT')) throw queryError('MALFORMED_QUERY', query, peek().pos, 'semi-join subqueries are not supported by this sandbox');
			const inner = parseOr();
			const close = next();
			if (close.kind !== ')') throw unexpected(close);
			return inner;
		}
		return parseComparison();
	}
	function parseComparison() {
		const fieldTok = next();
		if (fieldTok.kind !== 'ident' || KEYWORDS.has(fieldTok.upper)) throw unexpected(fieldTok);
		if (UNSUPPORTED.has(fieldTok.upper) || peek().kind === '(') {
			throw queryError('MALFORMED_QUERY', query, fieldTok.pos, `'${fieldTok.text}' is not supported by this sandbox in WHERE`);
		}
		const field = { name: fieldTok.text, pos: fieldTok.pos };
		const opTok = next();
		if (opTok.kind === 'op') return { kind: 'cmp', field, op: opTok.text === '<>' ? '!=' : opTok.text, opPos: opTok.pos, value: parseValue() };
		if (isKw(opTok, 'LIKE')) return { kind: 'cmp', field, op: 'LIKE', opPos: opTok.pos, value: parseValue() };
		if (isKw(opTok, 'IN') || (isKw(opTok, 'NOT') && isKw(peek(), 'IN'))) {
			if (opTok.upper === 'NOT') next();
			const open = next();
			if (open.kind !== '(') throw unexpected(open);
			if (isKw(peek(), 'SELECT')) throw queryError('MALFORMED_QUERY', query, peek().pos, 'semi-join subqueries are not supported by this sandbox');
			const values = [parseValue()];
			while (peek().kind === ',') {
				next();
				values.push(parseValue());
			}
			const close = next();
			if (close.kind !== ')') throw unexpected(close);
			return { kind: 'cmp', field, op: opTok.upper === 'NOT' ? 'NOT IN' : 'IN', opPos: opTok.pos, values };
		}
		throw unexpected(opTok);
	}
	function parseValue() {
		const tok = next();
		if (tok.kind === 'string') return { kind: 'string', value: tok.value, parts: tok.parts, likeEscapes: tok.likeEscapes, pos: tok.pos, text: tok.text };
		if (tok.kind === 'number') return { kind: 'number', value: tok.value, pos: tok.pos, text: tok.text };
		if (tok.kind === 'date') return { kind: 'date', value: tok.text, pos: tok.pos, text: tok.text };
		if (tok.kind === 'datetime') return { kind: 'datetime', value: parseDateTime(tok.text), pos: tok.pos, text: tok.text };
		if (tok.kind === 'ident') {
			if (tok.upper === 'TRUE' || tok.upper === 'FALSE') return { kind: 'boolean', value: tok.upper === 'TRUE', pos: tok.pos, text: tok.text };
			if (tok.upper === 'NULL') return { kind: 'null', value: null, pos: tok.pos, text: tok.text };
			if (DATE_LITERALS[tok.upper] !== undefined) return { kind: 'dateLiteral', offsetDays: DATE_LITERALS[tok.upper], pos: tok.pos, text: tok.text };
			if (/^(LAST|THIS|NEXT|N)_/.test(tok.upper)) {
				throw queryError('MALFORMED_QUERY', query, tok.pos, `date literal ${tok.text} is not supported by this sandbox (only YESTERDAY, TODAY, TOMORROW)`);
			}
		}
		if (tok.kind === ':') throw queryError('MALFORMED_QUERY', query, tok.pos, 'bind variables are not supported by the REST query resource');
		throw unexpected(tok);
	}
}

// ---------------------------------------------------------------------------------- semantics

/**
 * Resolves names against the object catalogue and checks value types; returns the bound query.
 * Throws INVALID_TYPE, INVALID_FIELD, INVALID_QUERY_FILTER_OPERATOR or MALFORMED_QUERY.
 */
function bind(ast, { visible } = {}) {
	const query = ast.query;
	const object = objectName(ast.object.name);
	if (!object) {
		throw queryError('INVALID_TYPE', query, ast.object.pos, `sObject type '${ast.object.name}' is not supported. ${CUSTOM_OBJECT_HINT}`);
	}
	const virtual = Boolean(OBJECTS[object].virtual);
	const resolve = (ref, { inWhere = false } = {}) => {
		let name = ref.name;
		if (virtual && inWhere && name.toLowerCase() === 'entitydefinition.qualifiedapiname') name = 'EntityDefinitionId';
		if (name.includes('.')) {
			throw queryError('MALFORMED_QUERY', query, ref.pos, `relationship fields (${ref.name}) are not supported by this sandbox; select the Id field (e.g. OwnerId) and read the related record`);
		}
		const def = fieldDef(object, name);
		// A field hidden from the user by field-level security answers like one that does not exist.
		if (!def || (visible && !visible(object, def.name))) {
			throw queryError('INVALID_FIELD', query, ref.pos, `No such column '${ref.name}' on entity '${object}'. ${CUSTOM_FIELD_HINT}`);
		}
		return def;
	};
	const fields = [];
	const seen = new Set();
	for (const ref of ast.fields) {
		const def = resolve(ref);
		if (seen.has(def.name)) throw queryError('MALFORMED_QUERY', query, ref.pos, `duplicate field selected: ${def.name}`);
		seen.add(def.name);
		fields.push(def);
	}
	const where = ast.where ? bindCondition(ast.where) : null;
	const orderBy = ast.orderBy.map((item) => {
		const def = resolve(item.field);
		if (!def.sort) throw queryError('INVALID_FIELD', query, item.field.pos, `field '${def.name}' can not be sorted in a query call`);
		return { def, desc: item.desc, nullsLast: item.nullsLast };
	});
	if (ast.count && ast.orderBy.length) throw queryError('MALFORMED_QUERY', query, ast.orderBy[0].field.pos, 'ORDER BY is not allowed with COUNT()');
	if (ast.offset !== undefined && ast.offset > 2000) {
		throw new SfError(400, [{ message: 'Maximum SOQL offset allowed is 2000', errorCode: 'NUMBER_OUTSIDE_VALID_RANGE' }]);
	}
	const bound = { object, fields, count: ast.count, where, orderBy, limit: ast.limit, offset: ast.offset };
	if (virtual) checkFieldDefinitionQuery(ast, bound);
	return bound;

	function bindCondition(node) {
		if (node.kind === 'and' || node.kind === 'or') return { kind: node.kind, items: node.items.map(bindCondition) };
		if (node.kind === 'not') return { kind: 'not', item: bindCondition(node.item), pos: node.pos };
		const def = resolve(node.field, { inWhere: true });
		if (!def.filter) throw queryError('INVALID_FIELD', query, node.field.pos, `field '${def.name}' can not be filtered in a query call`);
		const values = node.values || [node.value];
		if (node.op === 'LIKE') {
			if (!STRING_FIELD_TYPES.has(def.type)) {
				throw queryError('INVALID_QUERY_FILTER_OPERATOR', query, node.opPos, `invalid operator on ${def.type} field: LIKE (LIKE is supported for string fields only)`);
			}
			if (values[0].kind !== 'string') throw typeError(def, values[0]);
			return { kind: 'cmp', def, op: 'LIKE', pattern: likeRegExp(values[0].parts) };
		}
		if (def.type === 'boolean' && ['<', '<=', '>', '>='].includes(node.op)) {
			throw queryError('INVALID_QUERY_FILTER_OPERATOR', query, node.opPos, `invalid operator on boolean field: ${node.op}`);
		}
		const bound = values.map((v) => bindValue(def, v));
		return { kind: 'cmp', def, op: node.op, values: bound, value: bound[0] };
	}

	function typeError(def, v) {
		const wanted = { boolean: 'boolean', date: 'date', datetime: 'dateTime', int: 'integer', double: 'double', currency: 'double', percent: 'double' }[def.type] || 'string';
		const quoting = wanted === 'string' ? 'should be enclosed in quotes' : 'should not be enclosed in quotes';
		return queryError('INVALID_FIELD', query, v.pos, `value of filter criterion for field '${def.name}' must be of type ${wanted} and ${quoting}`);
	}

	function bindValue(def, v) {
		if (v.kind === 'null') return { kind: 'null' };
		if (v.kind === 'string' && v.likeEscapes) {
			throw queryError('MALFORMED_QUERY', query, v.pos, `Invalid string literal ${v.text}. \\% and \\_ are only valid in a LIKE expression.`);
		}
		if (def.type === 'id' || def.type === 'reference') {
			if (v.kind !== 'string') throw typeError(def, v);
			const id = normalizeId(v.value);
			if (!id) throw queryError('INVALID_QUERY_FILTER_OPERATOR', query, v.pos, `invalid ID field: ${v.value}`);
			return { kind: 'id', value: id };
		}
		if (STRING_FIELD_TYPES.has(def.type)) {
			if (v.kind !== 'string') throw typeError(def, v);
			return { kind: 'string', value: v.value };
		}
		if (def.type === 'boolean') {
			if (v.kind !== 'boolean') throw typeError(def, v);
			return { kind: 'boolean', value: v.value };
		}
		if (NUMBER_FIELD_TYPES.has(def.type)) {
			if (v.kind !== 'number') throw typeError(def, v);
			return { kind: 'number', value: v.value };
		}
		if (def.type === 'date') {
			if (v.kind === 'date') return { kind: 'date', value: v.value };
			if (v.kind === 'dateLiteral') return { kind: 'dateLiteral', offsetDays: v.offsetDays };
			throw typeError(def, v);
		}
		if (def.type === 'datetime') {
			if (v.kind === 'datetime' && Number.isFinite(v.value)) return { kind: 'datetime', value: v.value };
			if (v.kind === 'dateLiteral') return { kind: 'dateLiteral', offsetDays: v.offsetDays };
			throw typeError(def, v);
		}
		throw typeError(def, v);
	}
}

/** Tooling-object restrictions for FieldDefinition (see header). */
function checkFieldDefinitionQuery(ast, bound) {
	const query = ast.query;
	if (ast.count) throw queryError('MALFORMED_QUERY', query, ast.countPos, 'COUNT() is not supported on FieldDefinition');
	if (ast.limit !== undefined) throw queryError('MALFORMED_QUERY', query, ast.limitPos, 'LIMIT is not supported on FieldDefinition (Salesforce ignores it; the sandbox refuses it)');
	if (ast.offset !== undefined) throw queryError('MALFORMED_QUERY', query, ast.offsetPos, 'OFFSET is not supported on FieldDefinition');
	const conjuncts = !bound.where ? [] : bound.where.kind === 'and' ? bound.where.items : [bound.where];
	const walk = (node) => {
		if (node.kind === 'or') throw queryError('MALFORMED_QUERY', query, 0, 'Disjunctions not supported');
		if (node.kind === 'not') throw queryError('MALFORMED_QUERY', query, node.pos, 'Only equals comparisons permitted');
		if (node.kind === 'and') return node.items.forEach(walk);
		if (!['=', 'IN'].includes(node.op)) throw queryError('MALFORMED_QUERY', query, 0, 'Only equals comparisons permitted');
		return undefined;
	};
	if (bound.where) walk(bound.where);
	const scoped = conjuncts.some((c) => c.kind === 'cmp' && c.def.name === 'EntityDefinitionId' && ['=', 'IN'].includes(c.op));
	if (!scoped) {
		throw queryError('MALFORMED_QUERY', query, ast.object.pos, 'FieldDefinition queries must filter on EntityDefinitionId or EntityDefinition.QualifiedApiName (e.g. WHERE EntityDefinitionId = \'Case\')');
	}
}

/** LIKE pattern parts → anchored, case-insensitive RegExp (% any run, _ one character, escapes literal). */
function likeRegExp(parts) {
	let source = '';
	for (const { ch, escaped } of parts) {
		if (!escaped && ch === '%') source += '[\\s\\S]*';
		else if (!escaped && ch === '_') source += '[\\s\\S]';
		else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	}
	return new RegExp(`^${source}$`, 'i');
}

// ---------------------------------------------------------------------------------- evaluation

/** Compares two non-null values of a field's type (<0, 0, >0); strings case-insensitively. */
function compareValues(def, a, b) {
	if (NUMBER_FIELD_TYPES.has(def.type) || def.type === 'datetime') return a - b;
	if (def.type === 'boolean') return Number(a) - Number(b);
	const x = String(a).toUpperCase();
	const y = String(b).toUpperCase();
	return x < y ? -1 : x > y ? 1 : 0;
}

function dayStart(now, offsetDays) {
	return Math.floor(now / DAY) * DAY + offsetDays * DAY;
}

function matches(node, row, now) {
	switch (node.kind) {
		case 'and':
			return node.items.every((n) => matches(n, row, now));
		case 'or':
			return node.items.some((n) => matches(n, row, now));
		case 'not':
			return !matches(node.item, row, now);
		default:
			return matchComparison(node, row, now);
	}
}

function matchComparison(node, row, now) {
	const { def, op } = node;
	const value = row[def.name];
	const isNull = value === null || value === undefined;
	if (op === 'LIKE') return !isNull && node.pattern.test(String(value));
	if (op === 'IN' || op === 'NOT IN') {
		const hit = node.values.some((v) => (v.kind === 'null' ? isNull : !isNull && equals(def, value, v, now)));
		return op === 'IN' ? hit : !hit;
	}
	const literal = node.value;
	if (literal.kind === 'null') {
		if (op === '=') return isNull;
		if (op === '!=') return !isNull;
		return false;
	}
	if (isNull) return op === '!=';
	if (literal.kind === 'dateLiteral') return compareRange(def, value, literal, op, now);
	const c = compareValues(def, value, literal.value);
	switch (op) {
		case '=':
			return c === 0;
		case '!=':
			return c !== 0;
		case '<':
			return c < 0;
		case '<=':
			return c <= 0;
		case '>':
			return c > 0;
		case '>=':
			return c >= 0;
		default:
			return false;
	}
}

function equals(def, value, literal, now) {
	if (literal.kind === 'dateLiteral') return compareRange(def, value, literal, '=', now);
	return compareValues(def, value, literal.value) === 0;
}

/** Date literals are ranges: [midnight, midnight + 24 h) in UTC. */
function compareRange(def, value, literal, op, now) {
	const start = dayStart(now, literal.offsetDays);
	if (def.type === 'date') {
		const day = formatDate(start);
		const c = value < day ? -1 : value > day ? 1 : 0;
		return { '=': c === 0, '!=': c !== 0, '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0 }[op];
	}
	const end = start + DAY;
	return { '=': value >= start && value < end, '!=': value < start || value >= end, '<': value < start, '<=': value < end, '>': value >= end, '>=': value >= start }[op];
}

function sortRows(rows, orderBy) {
	if (!orderBy.length) return rows;
	return rows.sort((a, b) => {
		for (const { def, desc, nullsLast } of orderBy) {
			const x = a[def.name];
			const y = b[def.name];
			const xn = x === null || x === undefined;
			const yn = y === null || y === undefined;
			if (xn && yn) continue;
			if (xn || yn) return xn === !nullsLast ? -1 : 1;
			const c = compareValues(def, x, y);
			if (c !== 0) return desc ? -c : c;
		}
		return a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0;
	});
}

/** Serialises a row for the response: attributes first, then the selected fields in order. */
function serializeRow(object, row, fields, urlBase) {
	const key = OBJECTS[object].virtual ? row.DurableId : row.Id;
	const out = { attributes: { type: object, url: `${urlBase}/sobjects/${object}/${key}` } };
	for (const def of fields) out[def.name] = toJson(def.type, row[def.name]);
	return out;
}

/**
 * Runs a query: parses, binds and evaluates against `rowsOf(object)` (internal field values);
 * `visible(object, field)` (optional) is false for fields field-level security hides.
 * Returns {object, count, totalSize, records} with records already serialised.
 */
function execute(query, { rowsOf, now, urlBase, visible }) {
	const bound = bind(parse(query), { visible });
	let rows = rowsOf(bound.object).filter((row) => !bound.where || matches(bound.where, row, now));
	rows = sortRows(rows, bound.orderBy);
	if (bound.offset) rows = rows.slice(bound.offset);
	if (bound.limit !== undefined) rows = rows.slice(0, bound.limit);
	if (bound.count) return { object: bound.object, count: true, totalSize: rows.length, records: [] };
	const records = rows.map((row) => serializeRow(bound.object, row, bound.fields, urlBase));
	return { object: bound.object, count: false, totalSize: records.length, records, offset: bound.offset };
}

module.exports = { parse, bind, execute, tokenize, likeRegExp };
