/* eslint-disable */
/**
 * Checks a JSON answer against a result type declared by the official Salesforce client jsforce
 * (lib/types/common.d.ts, e.g. DescribeSObjectResult, Field): every key the type declares without
 * `?` and without `Optional<…>` is present, booleans / numbers / strings / arrays have their
 * declared kind, and nested declared types are checked recursively. jsforce hands Salesforce's JSON
 * through unchanged, so these declarations are what its typed callers rely on.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const COMMON = path.join(path.dirname(require.resolve('jsforce/package.json')), 'lib', 'types', 'common.d.ts');

interface Key {
	type: string;
	optional: boolean;
}

let declarations: Map<string, Map<string, Key>> | undefined;

/** `type Name = [Base &] { key: Type; ... }` blocks of jsforce's common.d.ts (top-level keys only). */
function parse(): Map<string, Map<string, Key>> {
	const text = fs.readFileSync(COMMON, 'utf8');
	const types = new Map<string, Map<string, Key>>();
	const bases = new Map<string, string[]>();
	const header = /^(?:export )?type (\w+) = ((?:\w+ & )*)\{$/gm;
	for (let m = header.exec(text); m; m = header.exec(text)) {
		const keys = new Map<string, Key>();
		const body = text.slice(m.index + m[0].length, text.indexOf('\n};', m.index));
		for (const line of body.split('\n')) {
			const k = /^ {4}(\w+)(\?)?: (.+);$/.exec(line) ?? /^ {4}(\w+)(\?)?: (\{)$/.exec(line);
			if (!k) continue;
			const optional = Boolean(k[2]) || k[3].startsWith('Optional<');
			keys.set(k[1], { type: k[3] === '{' ? 'object' : k[3].replace(/^Optional<(.+)>$/, '$1'), optional });
		}
		types.set(m[1], keys);
		bases.set(m[1], m[2].split('&').map((b) => b.trim()).filter(Boolean));
	}
	for (const [name, list] of bases) {
		for (const base of list) for (const [k, v] of types.get(base) ?? []) if (!types.get(name)!.has(k)) types.get(name)!.set(k, v);
	}
	return types;
}

function check(value: unknown, type: string, where: string, problems: string[], nullable: ReadonlySet<string>): void {
	declarations ??= parse();
	if (type.endsWith('[]')) {
		if (!Array.isArray(value)) return void problems.push(`${where} is not an array`);
		value.forEach((item, i) => check(item, type.slice(0, -2), `${where}[${i}]`, problems, nullable));
		return;
	}
	if (type === 'boolean' || type === 'number' || type === 'string') {
		if (typeof value !== type) problems.push(`${where} is ${JSON.stringify(value)}, not a ${type}`);
		return;
	}
	if (/^'[^']*'( \| '[^']*')*$/.test(type)) {
		const allowed = type.split(' | ').map((t) => t.slice(1, -1));
		if (!allowed.includes(value as string)) problems.push(`${where} is ${JSON.stringify(value)}, not one of ${allowed.join(', ')}`);
		return;
	}
	const keys = declarations.get(type);
	if (!keys) return; // object, any, unions and other shapes: presence is all that is checked
	if (!value || typeof value !== 'object' || Array.isArray(value)) return void problems.push(`${where} is not an object (${type})`);
	for (const [key, spec] of keys) {
		const v = (value as Record<string, unknown>)[key];
		if (v === undefined || (v === null && (spec.optional || nullable.has(key)))) {
			if (v === undefined && !spec.optional) problems.push(`${where}.${key} is missing (jsforce's ${type} declares it)`);
			continue;
		}
		if (v === null && spec.type === 'object') continue; // e.g. Field.filteredLookupInfo: null on most fields
		check(v, spec.type, `${where}.${key}`, problems, nullable);
	}
}

/**
 * What in `value` does not fit jsforce's declared type `type` (empty when it fits). `nullable`:
 * keys jsforce declares as non-null that Salesforce is known to answer with null.
 */
export function jsforceTypeProblems(type: string, value: unknown, nullable: string[] = []): string[] {
	declarations ??= parse();
	if (!declarations.has(type)) throw new Error(`jsforce declares no type ${type} in ${COMMON}`);
	const problems: string[] = [];
	check(value, type, type, problems, new Set(nullable));
	return problems;
}

export function expectJsforceType(type: string, value: unknown, nullable: string[] = []): void {
	expect(jsforceTypeProblems(type, value, nullable)).toEqual([]);
}
