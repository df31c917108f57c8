import type { CrmRecord, Pipeline, ResourceType } from '../model/types';
import type { CrmProvider, ItemResult } from '../contract/provider';
import { requirePipelines, requireRecordOperation } from '../contract/capabilities';
import { CrmInputError } from '../transport/errors';
import { checkValidation, perItem, writeValid } from './batch';
import type { RunOptions } from './batch';
import { checkTransition, parseTransitionGuard, resolvePipeline, resolveStage, validateGuardAgainstPipeline } from './stages';

export interface StageChangeRequest {
	id: string;
	/** Stage name or id; names resolve within the record's pipeline. */
	stage: string;
	/** Move to another pipeline too (name or id); default: the record's own pipeline. */
	pipeline?: string;
	/** Allowed transitions, e.g. "Qualified → Proposal → Won" (one chain per line). */
	allowedTransitions?: string;
}

export interface StageChangeResult {
	record: CrmRecord;
	previousStage?: { id: string; name: string };
	stage: { id: string; name: string };
	pipeline: { id: string; name: string };
	changed: boolean;
}

interface Located {
	pipelineId?: string;
	stageId?: string;
}

/**
 * Moves records to a stage given by name or id: reads the records (one batch call per 100),
 * resolves each stage within the record's pipeline, applies the transition guard, then writes
 * all moves as batch updates. Records already in the target stage are not written again.
 */
export async function updateStages(
	provider: CrmProvider,
	resource: ResourceType,
	requests: StageChangeRequest[],
	options: RunOptions,
): Promise<Array<ItemResult<StageChangeResult>>> {
	requirePipelines(provider, resource);
	requireRecordOperation(provider, resource, 'update');
	const pipelines = await provider.listPipelines(resource);
	const current = await provider.getRecords(resource, requests.map((r) => r.id));

	const prepared = await perItem(requests, (request, index) => {
		const read = current[index];
		if (!read.ok) throw read.error;
		const record = read.value as CrmRecord & Located;
		const pipeline = pickPipeline(pipelines, record, request, resource, provider.displayName);
		const target = resolveStage(pipeline, request.stage, 'stage');
		const from = pipeline.stages.find((s) => s.id === record.stageId);
		if (request.allowedTransitions?.trim()) {
			const guard = parseTransitionGuard(request.allowedTransitions);
			if (guard) {
				validateGuardAgainstPipeline(guard, pipeline);
				checkTransition(guard, from, target);
			}
		}
		const movesPipeline = record.pipelineId !== undefined && record.pipelineId !== pipeline.id;
		return {
			record,
			pipeline,
			target,
			from,
			changed: movesPipeline || record.stageId !== target.id,
			movesPipeline,
		};
	});
	checkValidation(prepared, options);

	return writeValid(prepared, async (valid) => {
		const writes = valid.filter((v) => v.changed);
		const written = writes.length
			? await provider.updateRecords(
					resource,
					writes.map((v) => ({
						id: v.record.id,
						fields: { ...(v.movesPipeline ? { pipelineId: v.pipeline.id } : {}), stageId: v.target.id },
					})),
				)
			: [];
		let next = 0;
		return valid.map((v): ItemResult<StageChangeResult> => {
			let record: CrmRecord = v.record;
			if (v.changed) {
				const result = written[next++];
				if (!result.ok) return result;
				record = result.value;
			}
			return {
				ok: true,
				value: {
					record,
					...(v.from ? { previousStage: { id: v.from.id, name: v.from.name } } : {}),
					stage: { id: v.target.id, name: v.target.name },
					pipeline: { id: v.pipeline.id, name: v.pipeline.name },
					changed: v.changed,
				},
			};
		});
	});
}

function pickPipeline(
	pipelines: Pipeline[],
	record: Located,
	request: StageChangeRequest,
	resource: ResourceType,
	providerName: string,
): Pipeline {
	if (request.pipeline?.trim()) return resolvePipeline(pipelines, request.pipeline, 'pipeline');
	if (record.pipelineId) {
		const own = pipelines.find((p) => p.id === record.pipelineId);
		if (own) return own;
	}
	if (pipelines.length === 1) return pipelines[0];
	throw new CrmInputError(
		`The ${resource}'s pipeline is not known to ${providerName}`,
		'pipeline',
		`Choose the pipeline. Pipelines: ${pipelines.map((p) => `"${p.name}"`).join(', ') || 'none'}.`,
	);
}

/**
 * Pipeline and stage ids for a new record, from names or ids. Without a pipeline, the only
 * pipeline is used, or the first one that has the stage.
 */
export async function resolveNewRecordStage(
	provider: CrmProvider,
	resource: ResourceType,
	pipelineRef: string,
	stageRef: string,
): Promise<{ pipelineId: string; stageId: string }> {
	requirePipelines(provider, resource);
	const pipelines = await provider.listPipelines(resource);
	let pipeline: Pipeline | undefined;
	if (pipelineRef.trim()) pipeline = resolvePipeline(pipelines, pipelineRef, 'pipeline');
	else if (pipelines.length === 1) pipeline = pipelines[0];
	else pipeline = pipelines.find((p) => p.stages.some((s) => s.id === stageRef.trim() || s.name.toLowerCase() === stageRef.trim().toLowerCase()));
	if (!pipeline) {
		throw new CrmInputError(
			`Choose a pipeline for the new ${resource}`,
			'pipeline',
			`Pipelines: ${pipelines.map((p) => `"${p.name}"`).join(', ') || 'none'}.`,
		);
	}
	if (!stageRef.trim()) {
		const first = pipeline.stages[0];
		if (!first) throw new CrmInputError(`Pipeline "${pipeline.name}" has no stages`, 'stage');
		return { pipelineId: pipeline.id, stageId: first.id };
	}
	return { pipelineId: pipeline.id, stageId: resolveStage(pipeline, stageRef, 'stage').id };
}
