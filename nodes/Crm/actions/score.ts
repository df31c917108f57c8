import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_LOOKBACK_DAYS, parseScoredAt, parseScoringModel, scoreRecords } from '../../shared/engines/scoring';
import type { EventInput, RuleInput, ScoreRequest, WriteBack } from '../../shared/engines/scoring';
import { checkValidation, perItem, writeValid } from '../../shared/engines/batch';
import { parseNumber } from '../../shared/model/parse';
import { CrmInputError } from '../../shared/transport/errors';
import type { HandlerContext, HandlerResult } from './handlers';
import * as p from './params';

/** Lead/Contact → Score: every item's rules are checked first, then one read, one write-back. */
export async function scoreRecord(h: HandlerContext): Promise<HandlerResult> {
	const { ctx } = h;
	const now = Date.now();
	// With "Continue On Fail" off, one bad rule stops the run here, before anything is read or written.
	const requests = await perItem(h.items, (_, i): ScoreRequest => {
		const options = ctx.getNodeParameter('scoreOptions', i, {}) as IDataObject;
		const id = p.str(ctx, 'recordId', i);
		if (!id) throw new CrmInputError(`The ${h.resource} ID is empty`, 'recordId', 'Map the record ID from the input, e.g. {{ $json.id }}.');
		return {
			id,
			model: parseScoringModel(h.resource, {
				rules: ctx.getNodeParameter('scoreRules.rule', i, []) as RuleInput[],
				events: ctx.getNodeParameter('scoreEvents.event', i, []) as EventInput[],
				bands: ctx.getNodeParameter('bands', i, ''),
			}),
			scoredAt: parseScoredAt(ctx.getNodeParameter('scoredAt', i, ''), now),
			lookbackDays:
				options.lookbackDays === undefined || options.lookbackDays === ''
					? DEFAULT_LOOKBACK_DAYS
					: parseNumber(options.lookbackDays, 'lookbackDays', { min: 1, what: 'a number of days' }),
		};
	});
	checkValidation(requests, h.options);
	// Where to write is one choice for the run (one batched update), read from the first item.
	const options = ctx.getNodeParameter('scoreOptions', 0, {}) as IDataObject;
	const writeBack: WriteBack = {
		...(String(options.scoreField ?? '').trim() ? { scoreField: String(options.scoreField).trim() } : {}),
		...(String(options.bandField ?? '').trim() ? { bandField: String(options.bandField).trim() } : {}),
	};
	const results = await writeValid(requests, (valid) => scoreRecords(h.provider, h.resource, valid, writeBack, h.options));
	return results.map((r) => {
		if (!r.ok) return r;
		const { record, score, band, breakdown, scoredAt, written } = r.value;
		return { ok: true, value: { ...record, score, band, scoredAt, breakdown, written } as unknown as IDataObject };
	});
}
