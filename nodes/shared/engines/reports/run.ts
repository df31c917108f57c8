import type { CrmRecord } from '../../model/types';
import type { CrmProvider } from '../../contract/provider';
import type { AnyReportRecord as AnyRecord, RecordKind, ReportBuilder } from './context';
import type { ReportDocument } from './types';

/**
 * Feeds a report from the CRM, page by page: each page is aggregated and dropped, so memory
 * grows with the report's groups, not with the number of records.
 */
export async function reportFromCrm(provider: CrmProvider, builder: ReportBuilder): Promise<ReportDocument> {
	for (const kind of builder.kinds) {
		for await (const page of provider.streamRecords(kind, { stageHistory: builder.needsStageHistory, ...(builder.needsHistory ? { history: true } : {}) })) {
			for (const record of page) builder.add(kind, record as CrmRecord as AnyRecord);
		}
	}
	return builder.finish();
}

/** Feeds a report from records already at hand (input items). */
export function reportFromRecords(builder: ReportBuilder, records: Iterable<{ kind: RecordKind; record: AnyRecord }>): ReportDocument {
	for (const { kind, record } of records) if (builder.kinds.includes(kind)) builder.add(kind, record);
	return builder.finish();
}
