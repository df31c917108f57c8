import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { Pipeline, ResourceType } from '../shared/model/types';
import { providerForEditor as provider } from '../shared/node/providerContext';

/** Editor lookups: pipelines, stages and users loaded from the CRM, searchable by name. */

function pipelineResource(ctx: ILoadOptionsFunctions): ResourceType {
	const resource = String(ctx.getCurrentNodeParameter('resource') ?? 'deal');
	return (resource === 'pipeline' ? String(ctx.getCurrentNodeParameter('objectType') ?? 'deal') : resource) as ResourceType;
}

const matches = (text: string, filter?: string) => !filter || text.toLowerCase().includes(filter.toLowerCase());

function chosenPipeline(ctx: ILoadOptionsFunctions, pipelines: Pipeline[]): Pipeline[] {
	// Operations without a pipeline picker (Lead → Update Status): n8n refuses to extract a value
	// the node does not show, so look first.
	if (!('pipeline' in (ctx.getCurrentNodeParameters() ?? {}))) return pipelines;
	const raw = ctx.getCurrentNodeParameter('pipeline', { extractValue: true }) as unknown;
	const wanted = String((raw as IDataObject)?.value ?? raw ?? '').trim().toLowerCase();
	if (!wanted) return pipelines;
	const found = pipelines.filter((p) => p.id.toLowerCase() === wanted || p.name.toLowerCase() === wanted);
	return found.length ? found : pipelines;
}

export const listSearch = {
	async searchPipelines(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const pipelines = await (await provider(this)).listPipelines(pipelineResource(this));
		return {
			results: pipelines
				.filter((p) => matches(p.name, filter))
				.map((p) => ({ name: p.name, value: p.name, description: `ID ${p.id}` })),
		};
	},

	/**
	 * Stage names (values are names, so a workflow moves between CRMs unchanged). Within the
	 * chosen pipeline when one is set; else every pipeline's stages, one entry per name.
	 */
	async searchStages(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const pipelines = chosenPipeline(this, await (await provider(this)).listPipelines(pipelineResource(this)));
		const byName = new Map<string, string[]>();
		for (const pipeline of pipelines) {
			for (const stage of pipeline.stages) {
				if (!matches(stage.name, filter)) continue;
				byName.set(stage.name, [...(byName.get(stage.name) ?? []), pipeline.name]);
			}
		}
		return {
			results: [...byName].map(([name, inPipelines]) => ({ name, value: name, description: inPipelines.join(', ') })),
		};
	},

	async searchUsers(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const users = await (await provider(this)).listUsers();
		return {
			results: users
				.filter((u) => u.active && (matches(u.name, filter) || matches(u.email, filter)))
				.map((u) => ({ name: u.email ? `${u.name} (${u.email})` : u.name, value: u.email || u.id })),
		};
	},
};

export const loadOptions = {
	async getUsers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const users = await (await provider(this)).listUsers();
		return users
			.filter((u) => u.active)
			.map((u) => ({ name: u.email ? `${u.name} (${u.email})` : u.name, value: u.email || u.id }))
			.sort((a, b) => a.name.localeCompare(b.name));
	},
};
