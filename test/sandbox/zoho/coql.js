'use strict';
/**
 * The COQL subset the sandbox understands (https://www.zoho.com/crm/developer/docs/api/v8/COQL-Overview.html):
 *   SELECT f1, f2, COUNT(id), SUM(Amount) FROM Module WHERE <criteria>
 *     [GROUP BY f…] [ORDER BY f [ASC|DESC], …] [LIMIT n [OFFSET m] | LIMIT m, n]
 * Criteria: = != <> < > <= >=, like / not like ('%x%'), in / not in (…), is null / is not null,
 * between a and b, joined with and/or in brackets. Dotted names follow a lookup (Owner.email,
 * Account_Name.Account_Name). Parse errors throw { code: 'SYNTAX_ERROR', clause, near }.
 */

const KEYWORDS = new Set(['select', 'from', 'where', 'and', 'or', 'not', 'like', 'in', 'is', 'null', 'between', 'order', 'group', 'by', 'asc', 'desc', 'limit', 'offset', 'as', 'true', 'false']);
const AGGREGATES = ['count', 'sum', 'min', 'max', 'avg'];

class CoqlSyntaxError extends Error {
	constructor(clause, near) {
		super(`error occured while parsing the query near ${near}`);
		this.clause = clause;
		this.near = near;
	}
}

function tokenize(text) {
	const tokens = [];
	const re = /\s*(?:('(?:[^'\\]|\\.|'')*')|(-?\d+(?:\.\d+)?)|(!=|<>|<=|>=|=|<|>|\(|\)|,|\*)|([A-Za-z_$!][\w$.]*))/y;
	let index = 0;
	while (index < text.length) {
		if (/^\s*$/.test(text.slice(index))) break;
		re.lastIndex = index;
		const m = re.exec(text);
		if (!m) throw new CoqlSyntaxError('query', text.slice(index, index + 20).trim());
		index = re.lastIndex;
		if (m[1] !== undefined) tokens.push({ type: 'string', value: m[1].slice(1, -1).replace(/''/g, "'").replace(/\\(.)/g, '$1') });
		else if (m[2] !== undefined) tokens.push({ type: 'number', value: Number(m[2]), raw: m[2] });
		else if (m[3] !== undefined) tokens.push({ type: 'op', value: m[3] });
		else {
			const word = m[4];
			if (KEYWORDS.has(word.toLowerCase())) tokens.push({ type: 'kw', value: word.toLowerCase() });
			else tokens.push({ type: 'ident', value: word.replace(/^!/, '') });
		}
	}
	return tokens;
}

function parse(text) {
	const tokens = tokenize(text);
	let pos = 0;
	let clause = 'select';
	const peek = (o = 0) => tokens[pos + o];
	const near = () => (peek() ? String(peek().raw ?? peek().value) : 'end of query');
	const fail = () => {
		throw new CoqlSyntaxError(clause, near());
	};
	const isKw = (kw, o = 0) => peek(o)?.type === 'kw' && peek(o).value === kw;
	const isOp = (op) => peek()?.type === 'op' && peek().value === op;
	const expectKw = (kw) => (isKw(kw) ? pos++ : fail());
	const expectOp = (op) => (isOp(op) ? pos++ : fail());
	const ident = () => (peek()?.type === 'ident' ? tokens[pos++].value : fail());

	expectKw('select');
	const select = [];
	do {
		const t = peek();
		if (t?.type === 'ident' && AGGREGATES.includes(t.value.toLowerCase()) && tokens[pos + 1]?.value === '(') {
			pos += 2;
			const field = isOp('*') ? (pos++, 'id') : ident();
			expectOp(')');
			const fn = t.value.toUpperCase();
			let alias = `${fn}(${field})`;
			if (isKw('as')) {
				pos++;
				alias = ident();
			}
			select.push({ aggregate: fn, field, alias });
		} else select.push({ field: ident() });
	} while (isOp(',') && ++pos);
	clause = 'from';
	expectKw('from');
	const module = ident();
	let where;
	if (isKw('where')) {
		clause = 'where';
		pos++;
		where = orExpr();
	}
	const groupBy = [];
	if (isKw('group')) {
		clause = 'group by';
		pos++;
		expectKw('by');
		do groupBy.push(ident());
		while (isOp(',') && ++pos);
	}
	const orderBy = [];
	if (isKw('order')) {
		clause = 'order by';
		pos++;
		expectKw('by');
		do {
			const field = ident();
			let desc = false;
			if (isKw('asc')) pos++;
			else if (isKw('desc')) {
				pos++;
				desc = true;
			}
			orderBy.push({ field, desc });
		} while (isOp(',') && ++pos);
	}
	let limit;
	let offset;
	if (isKw('limit')) {
		clause = 'limit';
		pos++;
		const first = peek()?.type === 'number' ? tokens[pos++].value : fail();
		if (isOp(',')) {
			pos++;
			offset = first;
			limit = peek()?.type === 'number' ? tokens[pos++].value : fail();
		} else limit = first;
	}
	if (isKw('offset')) {
		clause = 'offset';
		pos++;
		offset = peek()?.type === 'number' ? tokens[pos++].value : fail();
	}
	if (pos < tokens.length) fail();
	return { select, module, where, groupBy, orderBy, limit, offset };

	function orExpr() {
		let left = andExpr();
		while (isKw('or')) {
			pos++;
			left = { op: 'or', left, right: andExpr() };
		}
		return left;
	}
	function andExpr() {
		let left = primary();
		while (isKw('and')) {
			pos++;
			left = { op: 'and', left, right: primary() };
		}
		return left;
	}
	function value() {
		const t = peek();
		if (!t) fail();
		if (t.type === 'string' || t.type === 'number') return tokens[pos++].value;
		if (t.type === 'kw' && (t.value === 'true' || t.value === 'false')) return tokens[pos++].value === 'true';
		if (t.type === 'kw' && t.value === 'null') return (pos++, null);
		return fail();
	}
	function primary() {
		if (isOp('(')) {
			pos++;
			const inner = orExpr();
			expectOp(')');
			return inner;
		}
		const field = ident();
		if (isKw('is')) {
			pos++;
			const negate = isKw('not') ? (pos++, true) : false;
			expectKw('null');
			return { cmp: negate ? 'is not null' : 'is null', field };
		}
		const negate = isKw('not') ? (pos++, true) : false;
		if (isKw('like')) {
			pos++;
			return { cmp: negate ? 'not like' : 'like', field, value: value() };
		}
		if (isKw('in')) {
			pos++;
			expectOp('(');
			const values = [];
			do values.push(value());
			while (isOp(',') && ++pos);
			expectOp(')');
			return { cmp: negate ? 'not in' : 'in', field, values };
		}
		if (negate) fail();
		if (isKw('between')) {
			pos++;
			const low = value();
			expectKw('and');
			return { cmp: 'between', field, values: [low, value()] };
		}
		const t = peek();
		if (t?.type !== 'op' || !['=', '!=', '<>', '<', '>', '<=', '>='].includes(t.value)) fail();
		pos++;
		return { cmp: t.value === '<>' ? '!=' : t.value, field, value: value() };
	}
}

/** Number of comparisons in a WHERE tree (Zoho allows 25). */
function countCriteria(node) {
	if (!node) return 0;
	if (node.op) return countCriteria(node.left) + countCriteria(node.right);
	return 1;
}

module.exports = { parse, countCriteria, CoqlSyntaxError };
