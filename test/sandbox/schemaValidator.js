'use strict';
/**
 * The small request-schema validator every local vendor sandbox uses (no dependencies). A schema
 * is a plain object built with `T`; `validate` returns a list of messages (empty: valid).
 */

const T = {
	any: () => ({ type: 'any' }),
	string: (opts = {}) => ({ type: 'string', ...opts }),
	integer: (opts = {}) => ({ type: 'integer', ...opts }),
	boolean: () => ({ type: 'boolean' }),
	/** Object with known keys; unknown keys are violations unless `additional` is a schema. */
	object: (properties, opts = {}) => ({ type: 'object', properties, required: opts.required || [], additional: opts.additional }),
	/** Object whose every value matches `values` (e.g. HubSpot `properties`: string → string). */
	map: (values) => ({ type: 'map', values }),
	array: (items, opts = {}) => ({ type: 'array', items, ...opts }),
	anyOf: (...schemas) => ({ type: 'anyOf', schemas }),
};

function typeOf(value) {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	return typeof value;
}

function validate(schema, value, path = 'body', out = []) {
	switch (schema.type) {
		case 'any':
			break;
		case 'string':
			if (typeof value !== 'string') out.push(`${path} must be a string (got ${typeOf(value)})`);
			else {
				if (schema.enum && !schema.enum.includes(value)) out.push(`${path} must be one of ${schema.enum.join(', ')} (got "${value}")`);
				if (schema.maxLength !== undefined && value.length > schema.maxLength) out.push(`${path} is longer than ${schema.maxLength} characters`);
			}
			break;
		case 'integer':
			if (typeof value !== 'number' || !Number.isInteger(value)) out.push(`${path} must be an integer (got ${typeOf(value)})`);
			else {
				if (schema.min !== undefined && value < schema.min) out.push(`${path} must be ≥ ${schema.min} (got ${value})`);
				if (schema.max !== undefined && value > schema.max) out.push(`${path} must be ≤ ${schema.max} (got ${value})`);
			}
			break;
		case 'boolean':
			if (typeof value !== 'boolean') out.push(`${path} must be a boolean (got ${typeOf(value)})`);
			break;
		case 'object':
			if (typeOf(value) !== 'object') {
				out.push(`${path} must be an object (got ${typeOf(value)})`);
				break;
			}
			for (const key of schema.required) if (value[key] === undefined) out.push(`${path}.${key} is required`);
			for (const [key, v] of Object.entries(value)) {
				if (v === undefined) continue;
				const sub = schema.properties[key] || schema.additional;
				if (!sub) out.push(`${path}.${key} is not a documented field`);
				else validate(sub, v, `${path}.${key}`, out);
			}
			break;
		case 'map':
			if (typeOf(value) !== 'object') {
				out.push(`${path} must be an object (got ${typeOf(value)})`);
				break;
			}
			for (const [key, v] of Object.entries(value)) validate(schema.values, v, `${path}.${key}`, out);
			break;
		case 'array':
			if (!Array.isArray(value)) {
				out.push(`${path} must be an array (got ${typeOf(value)})`);
				break;
			}
			if (schema.maxItems !== undefined && value.length > schema.maxItems) {
				out.push(`${path} has ${value.length} items; at most ${schema.maxItems} are allowed`);
			}
			if (schema.minItems !== undefined && value.length < schema.minItems) {
				out.push(`${path} has ${value.length} items; at least ${schema.minItems} are needed`);
			}
			value.forEach((item, i) => validate(schema.items, item, `${path}[${i}]`, out));
			break;
		case 'anyOf': {
			const attempts = schema.schemas.map((s) => validate(s, value, path, []));
			if (!attempts.some((a) => a.length === 0)) out.push(...attempts.sort((a, b) => a.length - b.length)[0]);
			break;
		}
		default:
			throw new Error(`unknown schema type ${schema.type}`);
	}
	return out;
}

/** Compiles each endpoint's path template (`/sobjects/{SObject}/{id}`) to `regex` and `paramNames`. */
function compilePaths(endpoints) {
	for (const endpoint of endpoints) {
		const names = [];
		const source = endpoint.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name) => {
			names.push(name);
			return '([^/]+)';
		});
		endpoint.regex = new RegExp(`^${source}/?$`);
		endpoint.paramNames = names;
	}
	return endpoints;
}

module.exports = { T, typeOf, validate, compilePaths };
