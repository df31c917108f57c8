import type { Pipeline, Stage } from '../model/types';
import { CrmInputError } from '../transport/errors';

const normalize = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ');

function stageNames(pipeline: Pipeline): string {
	return pipeline.stages.map((s) => `"${s.name}"`).join(', ');
}

/** Finds a pipeline by id or name (case-insensitive); the error lists the valid names. */
export function resolvePipeline(pipelines: Pipeline[], idOrName: string, field = 'pipeline'): Pipeline {
	const wanted = idOrName.trim();
	const match =
		pipelines.find((p) => p.id === wanted) ??
		pipelines.find((p) => normalize(p.name) === normalize(wanted));
	if (!match) {
		throw new CrmInputError(
			`Unknown pipeline "${idOrName}"`,
			field,
			`Valid pipelines: ${pipelines.map((p) => `"${p.name}" (${p.id})`).join(', ') || 'none found'}.`,
		);
	}
	return match;
}

/**
 * Finds a stage by id or name within one pipeline. Ids win over names, so a stage whose name
 * looks like another stage's id still resolves predictably.
 */
export function resolveStage(pipeline: Pipeline, idOrName: string, field = 'stage'): Stage {
	const wanted = idOrName.trim();
	if (!wanted) {
		throw new CrmInputError(`The stage is empty`, field, `Stages of "${pipeline.name}": ${stageNames(pipeline)}.`);
	}
	const match =
		pipeline.stages.find((s) => s.id === wanted) ??
		pipeline.stages.find((s) => normalize(s.name) === normalize(wanted));
	if (!match) {
		throw new CrmInputError(
			`Unknown stage "${idOrName}" in pipeline "${pipeline.name}"`,
			field,
			`Valid stages: ${stageNames(pipeline)}.`,
		);
	}
	return match;
}

/**
 * The allowed-transitions guard: a process written as chains, one per line or separated by
 * `;`, e.g. `New → Qualified → Proposal → Won` and `Proposal → Lost`. Each arrow (`→` or `->`)
 * allows one move. Staying in the same stage is always allowed. `*` as a source means "from any
 * stage" (e.g. `* → Lost`).
 */
export interface TransitionGuard {
	/** normalized source name → normalized target names */
	allowed: Map<string, Set<string>>;
	/** the names as written, for messages */
	display: Map<string, string>;
}

export function parseTransitionGuard(text: string): TransitionGuard | undefined {
	const chains = text
		.split(/[\n;]+/)
		.map((line) => line.trim())
		.filter(Boolean);
	if (chains.length === 0) return undefined;
	const guard: TransitionGuard = { allowed: new Map(), display: new Map() };
	for (const chain of chains) {
		const steps = chain.split(/\s*(?:→|->|⇒|=>)\s*/).map((s) => s.trim());
		if (steps.length < 2 || steps.some((s) => !s)) {
			throw new CrmInputError(
				`The allowed transitions line "${chain}" is not a chain of stages`,
				'allowedTransitions',
				'Write chains like "Qualified → Proposal → Won", one per line.',
			);
		}
		for (let i = 0; i + 1 < steps.length; i++) {
			const from = normalize(steps[i]);
			const to = normalize(steps[i + 1]);
			guard.display.set(from, steps[i]);
			guard.display.set(to, steps[i + 1]);
			if (!guard.allowed.has(from)) guard.allowed.set(from, new Set());
			guard.allowed.get(from)!.add(to);
		}
	}
	return guard;
}

/** Checks that every stage the guard names exists in the pipeline, so typos fail loudly. */
export function validateGuardAgainstPipeline(guard: TransitionGuard, pipeline: Pipeline): void {
	const known = new Set(pipeline.stages.flatMap((s) => [normalize(s.name), normalize(s.id)]));
	for (const [name, written] of guard.display) {
		if (name !== '*' && !known.has(name)) {
			throw new CrmInputError(
				`The allowed transitions name a stage "${written}" that pipeline "${pipeline.name}" does not have`,
				'allowedTransitions',
				`Valid stages: ${stageNames(pipeline)}.`,
			);
		}
	}
}

/** Throws when moving from `from` to `to` is not allowed by the guard. */
export function checkTransition(guard: TransitionGuard, from: Stage | undefined, to: Stage): void {
	if (!from || from.id === to.id) return;
	const keys = (s: Stage) => [normalize(s.name), normalize(s.id)];
	const targets = [...keys(from), '*'].flatMap((k) => [...(guard.allowed.get(k) ?? [])]);
	if (targets.some((t) => keys(to).includes(t))) return;
	const allowedNames = [...new Set(targets)].map((t) => `"${guard.display.get(t) ?? t}"`);
	throw new CrmInputError(
		`Moving from "${from.name}" to "${to.name}" is not an allowed transition`,
		'stage',
		allowedNames.length
			? `Allowed from "${from.name}": ${allowedNames.join(', ')}.`
			: `The allowed transitions give no way out of "${from.name}".`,
	);
}
