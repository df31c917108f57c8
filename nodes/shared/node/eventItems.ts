import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { CrmEvent } from '../contract/events';
import { readableOrder } from './itemOrder';

/**
 * An event as one output item, the same for every trigger node (polling or webhook): normalized,
 * with the vendor's record in `raw`.
 */
export function eventItem(event: CrmEvent, provider: string): INodeExecutionData {
	const { raw, ...record } = event.record as unknown as IDataObject & { raw?: unknown };
	// Key order is the table view's column order: what happened and to which stage first, the
	// record next, the vendor's record (wide) last.
	return {
		json: {
			type: event.type,
			occurredAt: new Date(event.at).toISOString(),
			...(event.stage ? { stage: event.stage as unknown as IDataObject } : {}),
			previous: (event.previous as unknown as IDataObject) ?? null,
			...(event.pipeline ? { pipeline: event.pipeline as unknown as IDataObject } : {}),
			// Who made the change, where the CRM says: "package" = this credential's user through the API.
			...(event.origin ? { origin: event.origin } : {}),
			record: readableOrder(record),
			provider,
			eventKey: event.key,
			raw: (raw as IDataObject) ?? null,
		},
	};
}

/** A multi-value parameter (list, or text separated by commas, semicolons or new lines). */
export function parameterList(value: unknown): string[] {
	if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter(Boolean);
	return String(value ?? '')
		.split(/[,;\n]/)
		.map((v) => v.trim())
		.filter(Boolean);
}
