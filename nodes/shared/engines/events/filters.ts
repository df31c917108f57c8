import type { CrmEvent, EventType, StageRef } from '../../contract/events';

/** The trigger's filters, as the user picked them (stage and pipeline names or ids). */
export interface EventFilters {
	pipelines?: string[];
	fromStages?: string[];
	toStages?: string[];
	/** Deal Won / Lost: which outcome. */
	outcome?: 'won' | 'lost' | 'both';
	/**
	 * The loop guard: skip events the CRM attributes to the credential's own user through the API
	 * (`origin: 'package'`), so a workflow that writes to the record it was started by does not
	 * start itself again. Events whose origin the CRM does not report are kept.
	 */
	ignoreOwnChanges?: boolean;
}

/** The resource whose pipelines and stages an event type filters on. */
export function stageResourceOf(type: EventType): 'deal' | 'ticket' | undefined {
	if (type === 'dealStageChanged' || type === 'dealWonLost' || type === 'dealCreated') return 'deal';
	if (type === 'ticketStatusChanged' || type === 'ticketOpened') return 'ticket';
	return undefined;
}

const norm = (text: string) => text.trim().toLowerCase();

function matches(wanted: string[] | undefined, ref: { id: string; name?: string } | undefined): boolean {
	if (!wanted || wanted.length === 0) return true;
	if (!ref) return false;
	const names = [norm(ref.id), ...(ref.name ? [norm(ref.name)] : [])];
	return wanted.some((w) => names.includes(norm(w)));
}

/** Builds the predicate the poller applies to events before emitting them. */
export function eventFilter(type: EventType, filters: EventFilters): (event: CrmEvent) => boolean {
	return (event) => {
		if (filters.ignoreOwnChanges && event.origin === 'package') return false;
		if (!matches(filters.pipelines, event.pipeline)) return false;
		if (!matches(filters.toStages, event.stage as StageRef | undefined)) return false;
		if (!matches(filters.fromStages, event.previous)) return false;
		if (type === 'dealWonLost') {
			const closed = event.stage?.closed;
			const outcome = filters.outcome ?? 'both';
			if (closed !== 'won' && closed !== 'lost') return false;
			if (outcome !== 'both' && closed !== outcome) return false;
		}
		return true;
	};
}
