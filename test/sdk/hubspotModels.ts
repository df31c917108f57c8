/* eslint-disable */
/**
 * Checks a value the official HubSpot SDK (@hubspot/api-client) parsed against the SDK's own model
 * declarations: every attribute the model declares as required (no `?` in its .d.ts) is present,
 * dates parsed to valid Dates, numbers are numbers, strings are strings, enum values are among the
 * SDK's enum members, nested models recursively. The SDK itself never validates what it parses
 * (a missing field just stays undefined), so this is what makes a sandbox answer that drifted from
 * HubSpot's published shape fail the conformance tests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const CODEGEN = path.join(path.dirname(require.resolve('@hubspot/api-client/package.json')), 'lib', 'codegen');

interface Attribute {
	name: string;
	baseName: string;
	type: string;
	format: string;
}

interface ModelModule {
	classes: Map<string, { getAttributeTypeMap(): Attribute[] }>;
	enums: Map<string, Record<string, string>>;
	dir: string;
}

const modules = new Map<string, ModelModule>();

/** The models of one SDK module, e.g. 'crm/objects' or 'crm/associations/v4'. */
function modelModule(name: string): ModelModule {
	let found = modules.get(name);
	if (found) return found;
	const dir = path.join(CODEGEN, name, 'models');
	if (!fs.existsSync(dir)) throw new Error(`@hubspot/api-client has no model module ${name}`);
	found = { classes: new Map(), enums: new Map(), dir };
	for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.js') && f !== 'ObjectSerializer.js' && f !== 'all.js')) {
		const exported = require(path.join(dir, file)) as Record<string, any>;
		for (const [key, value] of Object.entries(exported)) {
			if (typeof value === 'function' && typeof value.getAttributeTypeMap === 'function') found.classes.set(key, value);
			else if (value && typeof value === 'object') found.enums.set(key, value);
		}
	}
	modules.set(name, found);
	return found;
}

const requiredCache = new Map<string, Set<string>>();

/** Attributes the model's declaration file does not mark optional. */
function requiredOf(module: ModelModule, model: string): Set<string> {
	const key = `${module.dir}/${model}`;
	let required = requiredCache.get(key);
	if (!required) {
		const text = fs.readFileSync(path.join(module.dir, `${model}.d.ts`), 'utf8');
		const body = text.slice(text.indexOf(`class ${model}`));
		required = new Set([...body.matchAll(/^\s{4}'([^']+)'(\?)?:/gm)].filter((m) => !m[2]).map((m) => m[1]));
		requiredCache.set(key, required);
	}
	return required;
}

function check(module: ModelModule, value: unknown, type: string, where: string, problems: string[]): void {
	if (type.endsWith(' | null')) {
		if (value === null) return;
		type = type.slice(0, -' | null'.length);
	}
	if (value === undefined || value === null) {
		problems.push(`${where} is ${value} (expected ${type})`);
		return;
	}
	if (type === 'any') return;
	if (type.startsWith('Array<')) {
		if (!Array.isArray(value)) return void problems.push(`${where} is not an array`);
		value.forEach((item, i) => check(module, item, type.slice(6, -1), `${where}[${i}]`, problems));
		return;
	}
	if (type.startsWith('{ [key: string]: ')) {
		if (typeof value !== 'object' || Array.isArray(value)) return void problems.push(`${where} is not an object`);
		const inner = type.slice('{ [key: string]: '.length, -'; }'.length);
		for (const [k, v] of Object.entries(value as object)) check(module, v, inner, `${where}.${k}`, problems);
		return;
	}
	if (type === 'Date') {
		if (!(value instanceof Date) || Number.isNaN(value.getTime())) problems.push(`${where} is not a valid date (${String(value)})`);
		return;
	}
	if (type === 'string' || type === 'number' || type === 'boolean') {
		if (typeof value !== type) problems.push(`${where} is a ${typeof value}, not a ${type} (${JSON.stringify(value)})`);
		return;
	}
	const enumeration = module.enums.get(type);
	if (enumeration) {
		if (!Object.values(enumeration).includes(value as string)) {
			problems.push(`${where} is ${JSON.stringify(value)}, not one of ${Object.values(enumeration).join(', ')}`);
		}
		return;
	}
	const model = module.classes.get(type);
	if (!model) {
		problems.push(`${where}: the SDK has no model ${type} in ${module.dir}`);
		return;
	}
	if (typeof value !== 'object' || Array.isArray(value)) return void problems.push(`${where} is not an object (expected ${type})`);
	// The SDK instantiates models for successful answers (attributes under their TypeScript names,
	// e.g. `_from`); error bodies it raises as they came (JSON names, e.g. `from`).
	const parsed = value instanceof (model as unknown as new () => object);
	const required = requiredOf(module, type);
	for (const attribute of model.getAttributeTypeMap()) {
		const v = (value as Record<string, unknown>)[parsed ? attribute.name : attribute.baseName];
		const isRequired = required.has(attribute.name);
		if (v === undefined || (v === null && !isRequired)) {
			// HubSpot sends null for unset optional values (e.g. an unlabeled association's label).
			if (isRequired) problems.push(`${where}.${attribute.baseName} is missing (required by the SDK's ${type})`);
			continue;
		}
		check(module, v, attribute.type, `${where}.${attribute.baseName}`, problems);
	}
}

/** What in `value` does not fit the SDK model `type` of `module` (empty when it fits). */
export function shapeProblems(module: string, type: string, value: unknown): string[] {
	const problems: string[] = [];
	check(modelModule(module), value, type, type, problems);
	return problems;
}

/** Fails the test with every mismatch between the parsed value and the SDK's model. */
export function expectShape(module: string, type: string, value: unknown): void {
	expect(shapeProblems(module, type, value)).toEqual([]);
}
