/**
 * Stage and status lists from the instance's metadata, never hard-coded: EspoCRM keeps one list
 * per entity type (`entityDefs.{Entity}.fields.{field}.options`), including values the admin
 * added in the Entity Manager. `GET Metadata?key=…` reads one branch (as of v8.2,
 * https://docs.espocrm.com/development/api/metadata/).
 *
 * Meaning of the values (EspoCRM 9.x metadata, application/Espo/Modules/Crm/Resources/metadata/
 * entityDefs/*.json, and the "open/won/lost" select filters in Modules/Crm/Classes/Select/):
 * - Opportunity.stage `probabilityMap`: a stage with probability 100 is won, 0 is lost;
 * - Case.status, Lead.status, Task.status `notActualOptions`: the closed values
 *   (defaults Closed/Rejected/Duplicate, Converted/Recycled/Dead, Completed/Canceled/Deferred).
 * The provider exposes each list as one pipeline per entity type, so stage-by-name and the
 * transition guard work as on CRMs with pipelines.
 */
import type { Pipeline, ResourceType, Stage } from '../../model/types';
import { CrmInputError } from '../../transport/errors';
import type { EspoClient } from './client';
import { ENTITY_OF, pipelineIdOf, STAGE_FIELD } from './mapping';

export interface EnumFieldDefs {
	type?: string;
	options?: string[];
	probabilityMap?: Record<string, number | null>;
	notActualOptions?: string[];
	default?: string;
}

const PIPELINE_NAMES: Partial<Record<ResourceType, string>> = {
	deal: 'Opportunity stages',
	ticket: 'Case statuses',
	lead: 'Lead statuses',
};

/** EspoCRM's default not-actual task statuses, used only when metadata does not say. */
const DEFAULT_CLOSED_TASK_STATUSES = ['Completed', 'Canceled', 'Deferred'];

/** Loaded metadata branches and settings, by key. */
export type MetadataCache = Map<string, Promise<unknown>>;

/**
 * Metadata read once per execution and credential, not once per node (a 10-node execution read it
 * 11 times): every CRM node builds its own provider, so the loaded values are shared here, in this
 * process's memory, keyed by execution id + credential + site. Nothing goes to workflow static
 * data (DESIGN.md "Where state lives"); entries expire after a few minutes and the map is bounded.
 * Without an execution id (editor lookups, tests) each provider keeps its own cache.
 */
const SHARED_TTL_MS = 5 * 60_000;
const SHARED_MAX = 50;
const shared = new Map<string, { at: number; cache: MetadataCache }>();

export function metadataCacheFor(scope: string | undefined): MetadataCache {
	if (!scope) return new Map();
	const now = Date.now();
	for (const [key, entry] of shared) if (now - entry.at > SHARED_TTL_MS) shared.delete(key);
	let entry = shared.get(scope);
	if (!entry) {
		if (shared.size >= SHARED_MAX) shared.delete(shared.keys().next().value as string);
		entry = { at: now, cache: new Map() };
		shared.set(scope, entry);
	}
	return entry.cache;
}

export class EspoMetadata {
	constructor(
		private readonly client: EspoClient,
		private readonly cache: MetadataCache = new Map(),
	) {}

	/** The cached load of `key`, started with this provider's client when absent; a failed load is forgotten. */
	private load<T>(key: string, read: () => Promise<T>): Promise<T> {
		let loading = this.cache.get(key) as Promise<T> | undefined;
		if (!loading) {
			loading = read();
			this.cache.set(key, loading);
			loading.catch(() => this.cache.delete(key));
		}
		return loading;
	}

	field(entityType: string, field: string): Promise<EnumFieldDefs> {
		const key = `entityDefs.${entityType}.fields.${field}`;
		return this.load(key, () => this.client.metadata<EnumFieldDefs | null>(key).then((defs) => defs ?? {}));
	}

	async pipeline(resource: ResourceType): Promise<Pipeline> {
		const field = STAGE_FIELD[resource];
		if (!field) throw new CrmInputError(`EspoCRM has no stage list for ${resource}s`, 'objectType');
		const entityType = ENTITY_OF[resource];
		const defs = await this.field(entityType, field);
		const options = (defs.options ?? []).filter((o) => o !== '' && o !== null && o !== undefined).map(String);
		if (options.length === 0) {
			throw new CrmInputError(
				`EspoCRM's metadata lists no values for ${entityType}.${field}`,
				'stage',
				`The API user needs read access to ${entityType} (Administration → Roles) to see its field definitions.`,
			);
		}
		const notActual = new Set(defs.notActualOptions ?? []);
		const stages = options.map((value, order): Stage => {
			const percent = defs.probabilityMap?.[value];
			let closed: Stage['closed'] = 'open';
			if (resource === 'deal') {
				if (percent === 100) closed = 'won';
				else if (percent === 0) closed = 'lost';
				else if (!defs.probabilityMap && /^closed won$/i.test(value)) closed = 'won';
				else if (!defs.probabilityMap && /^closed lost$/i.test(value)) closed = 'lost';
			} else if (notActual.has(value)) {
				closed = 'closed';
			}
			return {
				id: value,
				name: value,
				order,
				...(typeof percent === 'number' ? { probability: percent / 100 } : {}),
				closed,
			};
		});
		return { id: pipelineIdOf(resource), name: PIPELINE_NAMES[resource] ?? entityType, objectType: resource, stages };
	}

	async closedTaskStatuses(): Promise<string[]> {
		try {
			const defs = await this.field('Task', 'status');
			return defs.notActualOptions?.length ? defs.notActualOptions : DEFAULT_CLOSED_TASK_STATUSES;
		} catch {
			// Tasks are still usable without metadata access; fall back to EspoCRM's defaults.
			return DEFAULT_CLOSED_TASK_STATUSES;
		}
	}

	/** `GET Settings`: defaultCurrency, outboundEmailFromAddress (what a non-admin user may read). */
	settings(): Promise<Record<string, unknown>> {
		return this.load('Settings', () => this.client.settings());
	}
}
