/* eslint-disable */
// The e2e reads `n8n execute --rawOutput` output, which n8n prints through its logger alongside
// other log messages: the run data must be found by structure, whatever surrounds it.
const { parseRun } = require('../e2e/n8n-runtime');

const run = { data: { resultData: { runData: { 'Create Lead': [{ data: { main: [[{ json: { note: 'a } and a { and a \\" quote' } }]] } }] } } } };

describe('parseRun (n8n execute output)', () => {
	it('reads run data printed alone, pretty-printed as n8n does', () => {
		expect(parseRun(JSON.stringify(run, null, 2))).toEqual(run);
	});

	it('reads run data with log messages before and after it (the message that once broke the e2e)', () => {
		const output = `Loading community packages {"count":1}\n${JSON.stringify(run, null, 2)}\nPruning executions... {"done":true}\n`;
		expect(parseRun(output)).toEqual(run);
	});

	it('fails with what was printed when there is no run data', () => {
		expect(() => parseRun('Error executing workflow {"message":"boom"}')).toThrow(/printed no run data: Error executing workflow/);
	});
});
