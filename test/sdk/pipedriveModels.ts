/* eslint-disable */
/**
 * A shape checker for answers parsed by Pipedrive's official client (`pipedrive` on npm). The
 * client is generated from Pipedrive's OpenAPI specs; its response models exist only as
 * TypeScript declarations (dist/versions/{v1,v2}/models/*.d.ts), so this reads those declarations
 * and checks a value against a named model: required properties present, no property the model
 * does not declare, primitive types, arrays, nullability, the `…Const` enums, nested models,
 * `A & B` type aliases, maps keyed by id. An optional property may be null (see checkModel). Written here (not copied): it reads only the declaration files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface Model {
	properties: Map<string, { type: string; optional: boolean }>;
	/** Has an index signature: other keys are allowed. */
	open: boolean;
}

interface Catalogue {
	interfaces: Map<string, Model>;
	aliases: Map<string, string>;
	enums: Map<string, Array<string | number>>;
}

const catalogues = new Map<string, Catalogue>();

function load(version: 'v1' | 'v2'): Catalogue {
	const cached = catalogues.get(version);
	if (cached) return cached;
	const dir = path.join(path.dirname(require.resolve('pipedrive')), 'versions', version, 'models');
	const catalogue: Catalogue = { interfaces: new Map(), aliases: new Map(), enums: new Map() };
	for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.d.ts'))) {
		const text = fs.readFileSync(path.join(dir, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
		for (const m of text.matchAll(/export interface (\w+) \{([\s\S]*?)\n\}/g)) {
			const body = m[2].replace(/\{\s*\[key: string\]: any \| undefined;\s*\}/g, 'Record');
			const model: Model = { properties: new Map(), open: /\[key: string\]/.test(body) };
			for (const p of body.matchAll(/'([\w]+)'(\?)?: ([^;]+);/g)) model.properties.set(p[1], { type: p[3].trim(), optional: !!p[2] });
			catalogue.interfaces.set(m[1], model);
		}
		for (const m of text.matchAll(/export type (\w+) = ([^;]+);/g)) {
			if (!m[2].startsWith('typeof')) catalogue.aliases.set(m[1], m[2].trim());
		}
		for (const m of text.matchAll(/export declare const (\w+): \{([\s\S]*?)\};/g)) {
			catalogue.enums.set(
				m[1],
				[...m[2].matchAll(/readonly [\w$]+: ("([^"]*)"|(-?\d+(?:\.\d+)?))/g)].map((v) => (v[2] !== undefined ? v[2] : Number(v[3]))),
			);
		}
	}
	catalogues.set(version, catalogue);
	return catalogue;
}

/** Splits `A | Array<B | C> | null` at the top level. */
function splitTop(type: string, separator: '|' | '&'): string[] {
	const parts: string[] = [];
	let depth = 0;
	let current = '';
	for (const ch of type) {
		if (ch === '<' || ch === '{' || ch === '(') depth++;
		if (ch === '>' || ch === '}' || ch === ')') depth--;
		if (ch === separator && depth === 0) {
			parts.push(current.trim());
			current = '';
		} else current += ch;
	}
	parts.push(current.trim());
	return parts;
}

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function checkType(c: Catalogue, type: string, value: unknown, at: string, out: string[]): void {
	const alternatives = splitTop(type, '|');
	if (alternatives.length > 1) {
		const attempts = alternatives.map((t) => {
			const o: string[] = [];
			checkType(c, t, value, at, o);
			return o;
		});
		if (!attempts.some((a) => a.length === 0)) out.push(...attempts.sort((a, b) => a.length - b.length)[0]);
		return;
	}
	const t = type.trim();
	if (t === 'any' || t === 'undefined' && value === undefined) return;
	if (t === 'null') return void (value !== null && out.push(`${at} is ${kind(value)}, not null`));
	if (['string', 'number', 'boolean'].includes(t)) return void (typeof value !== t && out.push(`${at} is ${kind(value)}, not ${t}`));
	if (t === 'object' || t === 'Record') return void (kind(value) !== 'object' && out.push(`${at} is ${kind(value)}, not an object`));
	const array = /^Array<(.+)>$/.exec(t);
	if (array) {
		if (!Array.isArray(value)) return void out.push(`${at} is ${kind(value)}, not an array`);
		value.forEach((item, i) => checkType(c, array[1], item, `${at}[${i}]`, out));
		return;
	}
	const literal = /^"(.*)"$/.exec(t);
	if (literal) return void (value !== literal[1] && out.push(`${at} is ${JSON.stringify(value)}, not "${literal[1]}"`));
	const enumName = t.replace(/^typeof /, '');
	if (c.enums.has(enumName) && !c.interfaces.has(t)) {
		const allowed = c.enums.get(enumName)!;
		return void (!allowed.includes(value as any) && out.push(`${at} is ${JSON.stringify(value)}, not one of ${allowed.join(', ')}`));
	}
	checkModel(c, t, value, at, out);
}

function propertiesOf(c: Catalogue, name: string): Model {
	const model = c.interfaces.get(name);
	if (model) return model;
	const alias = c.aliases.get(name);
	if (!alias) throw new Error(`no model ${name} in the client's declarations`);
	const merged: Model = { properties: new Map(), open: false };
	for (const part of splitTop(alias, '&')) {
		const sub = propertiesOf(c, part);
		for (const [k, v] of sub.properties) merged.properties.set(k, v);
		merged.open ||= sub.open;
	}
	return merged;
}

function checkModel(c: Catalogue, name: string, value: unknown, at: string, out: string[]): void {
	if (c.enums.has(name) && !c.interfaces.has(name) && !c.aliases.has(name)) return checkType(c, name, value, at, out);
	const alias = c.aliases.get(name);
	if (alias && !alias.includes('&') && !c.interfaces.has(name)) return checkType(c, alias, value, at, out);
	if (kind(value) !== 'object') return void out.push(`${at} is ${kind(value)}, not a ${name}`);
	const model = propertiesOf(c, name);
	const record = value as Record<string, unknown>;
	// The specs write maps keyed by id (related_objects) as one placeholder property: DEAL_ID, USER_ID.
	const keys = [...model.properties.keys()];
	if (keys.length === 1 && /^[A-Z]+_ID$/.test(keys[0])) {
		for (const [key, item] of Object.entries(record)) checkType(c, model.properties.get(keys[0])!.type, item, `${at}.${key}`, out);
		return;
	}
	for (const [key, p] of model.properties) {
		if (record[key] === undefined) {
			if (!p.optional) out.push(`${at}.${key} is missing (required by the client's ${name})`);
			continue;
		}
		// null for an optional property: the specs mark few fields nullable, yet Pipedrive answers
		// null for unset ones (e.g. next_cursor on the last page, an activity without a lead).
		if (record[key] === null && p.optional) continue;
		checkType(c, p.type, record[key], `${at}.${key}`, out);
	}
	if (!model.open) for (const key of Object.keys(record)) if (!model.properties.has(key)) out.push(`${at}.${key} is not in the client's ${name}`);
}

/** What is wrong with `value` as the client's model `name` (empty: it fits). */
export function shapeProblems(version: 'v1' | 'v2', name: string, value: unknown): string[] {
	const out: string[] = [];
	checkModel(load(version), name, value, name, out);
	return out;
}

export function expectShape(version: 'v1' | 'v2', name: string, value: unknown): void {
	expect(shapeProblems(version, name, value)).toEqual([]);
}
