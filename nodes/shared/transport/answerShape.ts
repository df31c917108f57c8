/**
 * What a successful answer must look like before anyone reads it. A 200 is not proof of an answer:
 * a gateway's HTML page, JSON cut off mid-way or an object without the list a caller iterates would
 * otherwise read as "nothing there", and a trigger would take that for "nothing happened". A shape
 * is a check that returns what is wrong (or undefined); the transport applies it to every answer
 * below 400 and treats a mismatch as a failed request.
 */
export type AnswerShape = (value: unknown, at: string) => string | undefined;

const kindOf = (value: unknown): string =>
	value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'string' ? 'text' : typeof value === 'object' ? 'an object' : typeof value;

const at = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

/** Any JSON value. */
export const anyJson: AnswerShape = () => undefined;

export const text: AnswerShape = (value, path) => (typeof value === 'string' ? undefined : `${path || 'the answer'} is ${kindOf(value)}, not text`);

export const number: AnswerShape = (value, path) =>
	typeof value === 'number' && Number.isFinite(value) ? undefined : `${path || 'the answer'} is ${kindOf(value)}, not a number`;

export const boolean: AnswerShape = (value, path) => (typeof value === 'boolean' ? undefined : `${path || 'the answer'} is ${kindOf(value)}, not true/false`);

/** A record id: text or a number, never empty. */
export const id: AnswerShape = (value, path) =>
	(typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value)) ? undefined : `${path || 'the answer'} is ${kindOf(value)}, not an id`;

/** An object with (at least) these fields; other fields are not checked. */
export function object(fields: Record<string, AnswerShape> = {}): AnswerShape {
	return (value, path) => {
		if (value === null || typeof value !== 'object' || Array.isArray(value)) return `${path || 'the answer'} is ${kindOf(value)}, not an object`;
		for (const [key, shape] of Object.entries(fields)) {
			const problem = shape((value as Record<string, unknown>)[key], at(path, key));
			if (problem) return problem;
		}
		return undefined;
	};
}

/** A list whose every item has the shape. */
export function listOf(item: AnswerShape = anyJson): AnswerShape {
	return (value, path) => {
		if (!Array.isArray(value)) return `${path || 'the answer'} is ${kindOf(value)}, not a list`;
		for (let i = 0; i < value.length; i++) {
			const problem = item(value[i], at(path, i));
			if (problem) return problem;
		}
		return undefined;
	};
}

/** Absent (undefined) or the shape. */
export function optional(shape: AnswerShape): AnswerShape {
	return (value, path) => (value === undefined ? undefined : shape(value, path));
}

/** Null or the shape. */
export function nullable(shape: AnswerShape): AnswerShape {
	return (value, path) => (value === null ? undefined : shape(value, path));
}

/**
 * What is wrong with a successful answer's body, or undefined. Without a declared shape the body
 * must still be JSON (or empty): n8n's helper hands over a body it could not parse as text.
 */
export function answerProblem(body: unknown, shape: AnswerShape | undefined): string | undefined {
	if (typeof body === 'string' && body.trim() !== '' && !shape) return unreadable(body);
	if (!shape) return undefined;
	if (typeof body === 'string') return body.trim() === '' ? 'the answer is empty' : unreadable(body);
	if (body === undefined) return 'the answer is empty';
	return shape(body, '');
}

function unreadable(body: string): string {
	const start = body.trimStart();
	if (start.startsWith('<')) return 'the answer is an HTML page, not JSON';
	if (start.startsWith('{') || start.startsWith('[')) return 'the answer is incomplete JSON (cut off)';
	return 'the answer is not JSON';
}
