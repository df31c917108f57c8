'use strict';
/**
 * Salesforce-style record ids: 15-character case-sensitive ids and their 18-character
 * case-insensitive form (the 3-character suffix encodes the case of the first 15 characters).
 *
 * Key prefixes (the first three characters name the object type):
 * - 001 Account, 002 Note, 003 Contact, 005 User, 006 Opportunity, 00Q Lead, 00T Task, 500 Case,
 *   008 OpportunityHistory, 00D Organization: http://www.fishofprey.com/2011/09/obscure-salesforce-object-key-prefixes.html
 *   and https://www.salesforceben.com/salesforce-object-key-prefix-list/ (secondary lists).
 * - 02s EmailMessage (task brief; secondary lists); 00K OpportunityContactRole (secondary lists).
 * - 017 CaseHistory, 01J for the picklist-value objects (LeadStatus, OpportunityStage,
 *   CaseStatus, TaskStatus), 01g query locators, 012 record types (the master record type is
 *   012000000000000AAA): (unverified: not found in the stored docs; values known from real orgs).
 */

const PREFIXES = {
	Account: '001',
	Note: '002',
	Contact: '003',
	User: '005',
	Opportunity: '006',
	OpportunityHistory: '008',
	CaseHistory: '017',
	LeadStatus: '01J',
	OpportunityStage: '01J',
	CaseStatus: '01J',
	TaskStatus: '01J',
	EmailMessage: '02s',
	Lead: '00Q',
	Task: '00T',
	Case: '500',
	Organization: '00D',
	OpportunityContactRole: '00K',
};

/** Objects that share a prefix resolve to the first one listed here when reading an id. */
const PREFIX_OWNERS = {};
for (const [type, prefix] of Object.entries(PREFIXES)) if (!PREFIX_OWNERS[prefix]) PREFIX_OWNERS[prefix] = type;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-character case-encoding suffix of a 15-character id. */
function suffixOf(id15) {
	let suffix = '';
	for (let chunk = 0; chunk < 3; chunk++) {
		let bits = 0;
		for (let i = 0; i < 5; i++) {
			const c = id15.charAt(chunk * 5 + i);
			if (c >= 'A' && c <= 'Z') bits |= 1 << i;
		}
		suffix += SUFFIX_CHARS.charAt(bits);
	}
	return suffix;
}

function base62(n, width) {
	let out = '';
	let v = n;
	do {
		out = BASE62.charAt(v % 62) + out;
		v = Math.floor(v / 62);
	} while (v > 0);
	return out.padStart(width, '0');
}

/** A new 18-character id: prefix + pod "Hs" + reserved "0" + 9 base-62 digits + suffix. */
function makeId(prefix, counter) {
	const id15 = `${prefix}Hs0${base62(counter, 9)}`;
	return id15 + suffixOf(id15);
}

/**
 * The canonical 18-character id for a 15- or 18-character id, or undefined when the text is not
 * an id (wrong length, characters outside [0-9A-Za-z], or an 18-character id whose suffix does
 * not match its first 15 characters).
 */
function normalizeId(value) {
	if (typeof value !== 'string' || !/^[0-9A-Za-z]+$/.test(value)) return undefined;
	if (value.length === 15) return value + suffixOf(value);
	if (value.length === 18) {
		const id15 = value.slice(0, 15);
		return suffixOf(id15) === value.slice(15).toUpperCase() ? id15 + suffixOf(id15) : undefined;
	}
	return undefined;
}

/** The object type an id's prefix names (first owner for shared prefixes), or undefined. */
function typeOfId(id) {
	return PREFIX_OWNERS[String(id).slice(0, 3)];
}

module.exports = { PREFIXES, makeId, normalizeId, typeOfId, suffixOf, base62 };
