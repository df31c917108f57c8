'use strict';
/**
 * The checks of a script-style test (e2e, queue mode, demo smoke): each logged with the time since
 * the start, counted, and summed up in the closing line CI reads (`N passed, N failed`).
 */
function checkList(label, { stopOnFailure = true } = {}) {
	const started = Date.now();
	const checks = [];
	const log = (message) => console.log(`[${label} ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

	function check(name, condition, detail) {
		checks.push({ name, ok: Boolean(condition) });
		log(`${condition ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
		if (!condition && stopOnFailure) throw new Error(`check failed: ${name}${detail ? ` (${detail})` : ''}`);
	}

	/** Polls `fn` until it gives a truthy value (errors count as "not yet"). */
	async function waitFor(what, fn, timeoutMs) {
		const end = Date.now() + timeoutMs;
		for (;;) {
			const value = await Promise.resolve()
				.then(fn)
				.catch(() => undefined);
			if (value) return value;
			if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
			await new Promise((r) => setTimeout(r, 500));
		}
	}

	const failed = () => checks.filter((c) => !c.ok).length;
	const summary = () => `${checks.length - failed()} passed, ${failed()} failed`;
	return { started, log, check, waitFor, failed, summary };
}

module.exports = { checkList };
