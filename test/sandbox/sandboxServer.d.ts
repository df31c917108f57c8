/* eslint-disable */
// Types of ./sandboxServer.js, shared by the vendor sandboxes' declarations.

export interface FaultSpec {
	method?: string;
	/** Matched against the request path (EspoCRM: also the path under /api/v1, e.g. "/Lead"). */
	pathPrefix?: string;
	status: number;
	body?: any;
	headers?: Record<string, string>;
	/** How many matching requests get this answer (default 1). */
	times?: number;
	delayMs?: number;
	/** Destroy the socket without an answer. */
	drop?: boolean;
}
