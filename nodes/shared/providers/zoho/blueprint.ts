/**
 * Stage moves under a Zoho Blueprint. A plain update of a field a Blueprint owns answers
 * `RECORD_IN_BLUEPRINT`; the record moves only through a transition:
 * `GET /{module}/{id}/actions/blueprint` lists the record's `process_info` and the transitions open
 * to it now (id, name, `next_field_value` = the value the transition sets, the `fields` it asks
 * for), and `PUT /{module}/{id}/actions/blueprint {"blueprint":[{"transition_id","data"}]}` runs one
 * (v8 get-blueprint / update-blueprint pages; one transition per call). We run the transition whose
 * target is the wanted stage, passing the update's other fields as its data; when none leads
 * there, the error names the transitions that are open and the fields each asks for.
 */
import { CrmApiError, CrmInputError } from '../../transport/errors';
import type { CrmTransport } from '../../transport/http';
import { ZOHO } from './mapping';
import { hintFor } from './profile';

export interface Transition {
	id: string;
	name: string;
	target?: string;
	fields: Array<{ api: string; label: string; required: boolean }>;
	/** Zoho says whether the record meets the transition's criteria (false: not offered). */
	available: boolean;
}

function transitionsOf(body: unknown): { field?: string; current?: string; transitions: Transition[] } {
	const blueprint = ((body ?? {}) as { blueprint?: Record<string, unknown> }).blueprint ?? {};
	const info = (blueprint.process_info ?? {}) as Record<string, unknown>;
	const list = Array.isArray(blueprint.transitions) ? (blueprint.transitions as Array<Record<string, unknown>>) : [];
	return {
		field: typeof info.field_name === 'string' ? info.field_name : typeof info.api_name === 'string' ? info.api_name : undefined,
		current: info.field_value === undefined || info.field_value === null ? undefined : String(info.field_value),
		transitions: list.map((t) => ({
			id: String(t.id),
			name: String(t.name ?? t.id),
			target: t.next_field_value === undefined || t.next_field_value === null ? undefined : String(t.next_field_value),
			fields: (Array.isArray(t.fields) ? (t.fields as Array<Record<string, unknown>>) : []).map((f) => ({
				api: String(f.api_name ?? f.field_label ?? ''),
				label: String(f.field_label ?? f.display_label ?? f.api_name ?? ''),
				required: f.required === true || f.mandatory === true || f.system_mandatory === true,
			})),
			available: t.criteria_matched !== false,
		})),
	};
}

function describe(t: Transition): string {
	const fields = t.fields.filter((f) => f.api);
	const asks = fields.length ? ` (fields: ${fields.map((f) => `${f.api}${f.required ? ' required' : ''}`).join(', ')})` : '';
	return `"${t.name}" → ${t.target ? `"${t.target}"` : 'same stage'}${asks}`;
}

export class ZohoBlueprint {
	constructor(private readonly transport: CrmTransport) {}

	async transitions(module: string, id: string) {
		const { body } = await this.transport.request({ method: 'GET', path: `/${module}/${encodeURIComponent(id)}/actions/blueprint`, idempotent: true });
		return transitionsOf(body);
	}

	/**
	 * Moves one record to `target` through the transition that leads there, with `data` (the update's
	 * other fields) as the transition's data.
	 */
	async moveTo(module: string, id: string, stageField: string, target: string, data: Record<string, unknown>): Promise<Transition> {
		const { transitions, current } = await this.transitions(module, id);
		const open = transitions.filter((t) => t.available);
		const leading = open.find((t) => t.target === target);
		if (!leading) {
			throw new CrmInputError(
				`The Blueprint on this ${module.replace(/s$/, '').toLowerCase()} (${stageField} "${current ?? '?'}") has no transition to "${target}"`,
				'stage',
				open.length
					? `Transitions open now: ${open.map(describe).join('; ')}. Move the record through them one at a time, or change the Blueprint in Zoho (Setup → Process Management → Blueprint).`
					: 'No transition is open to this record now (its criteria or the transition owners exclude the API user). Check the Blueprint in Zoho (Setup → Process Management → Blueprint).',
			);
		}
		// Zoho checks the transition's mandatory fields against the record and `data` together: a
		// field the record already has needs no value here, so Zoho's answer decides.
		const missingField = (error: CrmApiError) =>
			new CrmInputError(
				`The Blueprint transition "${leading.name}" to "${target}" needs ${error.field ?? 'a field'}, which the record does not have`,
				error.field ?? 'stage',
				`Give it as a Custom Property (Zoho API name) in the same update. Transition: ${describe(leading)}.`,
			);
		const { body } = await this.transport
			.request<Record<string, unknown>>({
				method: 'PUT',
				path: `/${module}/${encodeURIComponent(id)}/actions/blueprint`,
				body: { blueprint: [{ transition_id: leading.id, data }] },
			})
			.catch((error: unknown) => Promise.reject(error instanceof CrmApiError && error.code === 'MANDATORY_NOT_FOUND' ? missingField(error) : error));
		const answer = (Array.isArray(body?.data) ? (body.data as Array<Record<string, unknown>>)[0] : body) ?? {};
		if (answer.status === 'error') {
			const details = (answer.details ?? {}) as Record<string, unknown>;
			throw new CrmApiError(ZOHO, {
				message: `Blueprint transition "${leading.name}" failed: ${String(answer.message ?? answer.code)}`,
				code: typeof answer.code === 'string' ? answer.code : undefined,
				hint: hintFor(typeof answer.code === 'string' ? answer.code : undefined, undefined, details),
				field: typeof details.api_name === 'string' ? details.api_name : undefined,
			});
		}
		return leading;
	}
}
