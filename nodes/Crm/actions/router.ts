import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { InvalidItemError } from '../../shared/contract/itemErrors';
import type { ResourceType } from '../../shared/model/types';
import { readableOrder } from '../../shared/node/itemOrder';
import { providerFor } from '../../shared/node/providerContext';
import { CrmApiError, errorItemJson, outcomeUnknown, toNodeError } from '../../shared/transport/errors';
import { HANDLERS } from './handlers';
import type { HandlerResult } from './handlers';

/**
 * Runs one operation over all input items at once (so providers can batch), then turns the
 * per-item results into output items, each paired with its input item.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as ResourceType;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = HANDLERS[`${resource}.${operation}`];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not known for ${resource}s`);
	}
	const continueOnFail = this.continueOnFail();

	let results: HandlerResult;
	try {
		const provider = await providerFor(this, this.getNodeParameter('provider', 0) as string);
		results = await handler({ ctx: this, provider, items, resource, options: { stopOnInvalid: !continueOnFail } });
	} catch (error) {
		if (error instanceof InvalidItemError) throw toNodeError(this.getNode(), error.cause, error.itemIndex);
		if (!continueOnFail) throw toNodeError(this.getNode(), error);
		// A failure before any item was handled (credentials, capability): every item gets it.
		results = items.map(() => ({ ok: false, error: error as Error }));
	}

	const output: INodeExecutionData[] = [];
	for (let i = 0; i < results.length; i++) {
		const result = results[i];
		if (result.ok) {
			const values = Array.isArray(result.value) ? result.value : [result.value];
			for (const value of values) output.push({ json: readableOrder(value), pairedItem: { item: i } });
			continue;
		}
		if (continueOnFail) {
			output.push({ json: errorItemJson(result.error), pairedItem: { item: i } });
			continue;
		}
		const error = toNodeError(this.getNode(), result.error, i);
		const written = writtenSummary(results, i);
		if (written) error.description = [error.description, written].filter(Boolean).join(' ');
		throw error;
	}
	return [output];
}

/**
 * When one item fails after others were written (a vendor error mid-batch), the error lists every
 * item that was written, with its id, and every item whose write may have been applied, so
 * nothing done is lost from sight and a re-run can be checked first.
 */
function writtenSummary(results: HandlerResult, failed: number): string | undefined {
	const written: string[] = [];
	const uncertain: number[] = [];
	results.forEach((r, i) => {
		if (i === failed) return;
		if (r.ok) {
			if (!Array.isArray(r.value) && r.value.id !== undefined) written.push(`item ${i} → id ${String(r.value.id)}`);
		} else if (r.error instanceof CrmApiError && r.error.recordId) {
			written.push(`item ${i} → id ${r.error.recordId} (then failed)`);
		} else if (outcomeUnknown(r.error)) {
			uncertain.push(i);
		}
	});
	const parts = [
		written.length ? `Written (kept in the CRM): ${written.join(', ')}.` : '',
		uncertain.length ? `May have been written (check before running again): items ${uncertain.join(', ')}.` : '',
	].filter(Boolean);
	if (!parts.length) return undefined;
	return `${parts.join(' ')} Enable "Continue On Fail" to get every item's result.`;
}
