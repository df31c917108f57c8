import { sleep as n8nSleep } from 'n8n-workflow';
import type { IDataObject, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';

import { answerProblem } from './answerShape';
import type { AnswerShape } from './answerShape';
import { CrmApiError } from './errors';
import type { VendorErrorInfo } from './errors';
import { limiterFor } from './rateLimiter';
import type { Clock, RateLimit, Sleep } from './rateLimiter';
import { backoffMs, DEFAULT_RETRY_POLICY, networkErrorCode, retryAfterMs } from './retry';
import type { RetryPolicy } from './retry';

/** The full response n8n's request helpers return with `returnFullResponse: true`. */
export interface RawResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/**
 * Sends one HTTP request with the credential applied. In nodes this is
 * `this.helpers.httpRequestWithAuthentication` bound to the credential type, so the token
 * never passes through our code.
 */
export type AuthenticatedRequest = (options: IHttpRequestOptions) => Promise<RawResponse>;

/** What a provider tells the transport about its vendor's HTTP behaviour. */
export interface VendorHttpProfile {
	vendorName: string;
	baseUrl: string;
	/** Client-side limits by bucket; every request names a bucket (default `default`). */
	rateLimits: Record<string, RateLimit>;
	parseError(status: number, body: unknown, headers: Record<string, unknown>): VendorErrorInfo;
	/**
	 * Is this response a rate-limit rejection? `transient` is retried after a wait, `exhausted`
	 * (e.g. a daily quota) is not. Without the hook, or when it returns undefined, a 429 is
	 * transient and nothing else is a rate limit.
	 */
	rateLimitKind?(status: number, body: unknown): 'transient' | 'exhausted' | undefined;
	/** Milliseconds to hold the bucket, read from the vendor's rate-limit headers. */
	rateLimitPauseMs?(headers: Record<string, unknown>, bucket: string): number | undefined;
	/**
	 * What a request costs in the vendor's own quota unit (e.g. Pipedrive's daily API tokens), for
	 * `stats.cost`; without it every request costs 1.
	 */
	requestCost?(request: Pick<CrmRequest, 'method' | 'path'>): number;
	timeoutMs?: number;
	/**
	 * The credential renews its token when n8n's request helper sees a 401 thrown (OAuth2
	 * refresh, a credential's `preAuthentication`). The transport reads error responses without
	 * throwing, so on a 401 it sends the request once more through that path.
	 */
	renewAuthOn401?: boolean;
}

export interface CrmRequest {
	method: IHttpRequestMethods;
	/** A path under the profile's base URL, or an absolute URL (e.g. a vendor's next-page link). */
	path: string;
	qs?: IDataObject;
	body?: unknown;
	/**
	 * Safe to send again after a 5xx or a network error: reads, searches and writes the vendor
	 * applies idempotently. A 429 is always retried, because the vendor did not process it.
	 */
	idempotent?: boolean;
	bucket?: string;
	/** Extra request headers (e.g. a vendor's query options); never credentials. */
	headers?: Record<string, string>;
	/**
	 * The shape a successful answer must have (see answerShape.ts). Without it the answer must
	 * still be JSON or empty. A mismatch is a failed request: retried when idempotent, else an error.
	 */
	expect?: AnswerShape;
}

export interface CrmResponse<T = unknown> {
	status: number;
	headers: Record<string, unknown>;
	body: T;
}

export interface TransportOptions {
	/** Identifies the credential (its id), so each account gets its own limiter. */
	credentialKey: string;
	retry?: Partial<RetryPolicy>;
	sleep?: Sleep;
	now?: Clock;
	random?: () => number;
}

/** Counts what the transport did; tests and benchmarks read it. */
export interface TransportStats {
	requests: number;
	retries: number;
	/** Quota spent by the requests sent (see `VendorHttpProfile.requestCost`). */
	cost: number;
}

/**
 * The one HTTP path of every provider: rate limiting, retries with backoff, and vendor errors
 * turned into `CrmApiError`s.
 */
export class CrmTransport {
	readonly stats: TransportStats = { requests: 0, retries: 0, cost: 0 };
	private readonly retry: RetryPolicy;
	private readonly sleep: Sleep;
	private readonly now: Clock;
	private readonly random: () => number;

	constructor(
		private readonly send: AuthenticatedRequest,
		readonly profile: VendorHttpProfile,
		private readonly options: TransportOptions,
	) {
		this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
		this.sleep = options.sleep ?? n8nSleep;
		this.now = options.now ?? Date.now;
		this.random = options.random ?? Math.random;
	}

	async request<T = unknown>(request: CrmRequest): Promise<CrmResponse<T>> {
		const bucket = request.bucket ?? 'default';
		const limit = this.profile.rateLimits[bucket] ?? this.profile.rateLimits.default;
		const limiter = limiterFor(
			`${this.profile.vendorName}:${this.options.credentialKey}:${bucket}`,
			limit,
			this.now,
		);

		for (let attempt = 1; ; attempt++) {
			const answered = await limiter.acquire(this.sleep);
			this.stats.requests++;
			this.stats.cost += this.profile.requestCost?.(request) ?? 1;
			let response: RawResponse | undefined;
			let failure: unknown;
			try {
				response = await this.send(this.httpOptions(request));
				if (response.statusCode === 401 && this.profile.renewAuthOn401) response = await this.sendRenewingAuth(request);
			} catch (error) {
				failure = error;
			}
			answered();
			if (response === undefined) {
				const code = networkErrorCode(failure);
				if (code && request.idempotent && attempt < this.retry.maxAttempts) {
					await this.backoff(attempt);
					continue;
				}
				throw this.requestFailure(request, failure, code);
			}

			const { statusCode: status, headers, body } = response;
			const pause = this.profile.rateLimitPauseMs?.(headers, bucket);
			if (pause && pause > 0) limiter.vendorWindowFull(pause);

			if (status < 400) {
				const problem = answerProblem(body, request.expect);
				if (problem === undefined) return { status, headers, body: body as T };
				// A garbled answer (a gateway's page, JSON cut off, a body without its list) is no answer.
				if (request.idempotent && attempt < this.retry.maxAttempts) {
					await this.backoff(attempt);
					continue;
				}
				throw this.malformedAnswer(request, status, problem, body);
			}

			const kind = this.profile.rateLimitKind?.(status, body) ?? (status === 429 ? 'transient' : undefined);
			const rateLimited = kind === 'transient';
			const retryable = rateLimited || (status >= 500 && request.idempotent === true);
			if (retryable && attempt < this.retry.maxAttempts) {
				const asked = retryAfterMs(headers['retry-after'], this.now());
				if (asked !== undefined) {
					limiter.blockUntil(this.now() + Math.min(asked, this.retry.maxDelayMs));
					this.stats.retries++;
					continue;
				}
				await this.backoff(attempt);
				continue;
			}
			const info = this.profile.parseError(status, body, headers);
			throw new CrmApiError(this.profile.vendorName, { ...info, status, body: safeBody(body) });
		}
	}

	/**
	 * Sends the request so that n8n's helper throws on an error status: a 401 then makes n8n renew
	 * the credential's token and send it again. An error status that remains comes back as a
	 * response, read off the thrown error.
	 */
	private async sendRenewingAuth(request: CrmRequest): Promise<RawResponse> {
		this.stats.requests++;
		return this.send({ ...this.httpOptions(request), ignoreHttpStatusErrors: false }).catch(
			(error: unknown) => responseOfThrown(error) ?? Promise.reject(error),
		);
	}

	/** A request that got no HTTP answer: network error, or the helper refused it. */
	private requestFailure(request: CrmRequest, failure: unknown, code: string | undefined): CrmApiError {
		return new CrmApiError(this.profile.vendorName, {
			message: code
				? `Network error (${code}) calling ${request.method} ${this.describePath(request.path)}`
				: `Request failed: ${failure instanceof Error ? failure.message : String(failure)}`,
			code,
			hint:
				code && !request.idempotent
					? 'The request was not retried automatically because it may have been applied; check the CRM before running it again.'
					: undefined,
		});
	}

	/** A successful status with an answer that is not what the endpoint returns. */
	private malformedAnswer(request: CrmRequest, status: number, problem: string, body: unknown): CrmApiError {
		return new CrmApiError(this.profile.vendorName, {
			message: `Unreadable answer to ${request.method} ${this.describePath(request.path)}: ${problem}`,
			code: 'MALFORMED_RESPONSE',
			status,
			body: safeBody(body),
			hint: request.idempotent
				? `${this.profile.vendorName} (or a proxy in front of it) did not send the expected answer, also when asked again; nothing was changed. Try again later.`
				: `The request may have been applied: ${this.profile.vendorName} (or a proxy in front of it) answered, but not with the expected answer. Check the CRM before running it again.`,
		});
	}

	private async backoff(attempt: number): Promise<void> {
		this.stats.retries++;
		await this.sleep(backoffMs(attempt, this.retry, this.random));
	}

	private httpOptions(request: CrmRequest): IHttpRequestOptions {
		const url = /^https?:\/\//.test(request.path)
			? request.path
			: `${this.profile.baseUrl.replace(/\/+$/, '')}${request.path}`;
		return {
			method: request.method,
			url,
			qs: request.qs,
			body: request.body as IDataObject | undefined,
			json: true,
			...(request.headers ? { headers: { ...request.headers } } : {}),
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: this.profile.timeoutMs ?? 60_000,
		};
	}

	private describePath(path: string): string {
		return path.replace(/\?.*$/, '');
	}
}

/**
 * The HTTP response inside an error n8n's helper threw (an axios-style `response`, possibly
 * wrapped in a NodeApiError's `cause`); undefined when it carries none.
 */
export function responseOfThrown(error: unknown): RawResponse | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		const response = (current as { response?: { status?: unknown; statusCode?: unknown; data?: unknown; body?: unknown; headers?: unknown } }).response;
		const status = Number(response?.status ?? response?.statusCode);
		if (response && Number.isInteger(status) && status >= 100) {
			return {
				statusCode: status,
				headers: (response.headers as Record<string, unknown>) ?? {},
				body: response.data ?? response.body,
			};
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/** Keeps an error body small enough for the UI, and strips anything shaped like a bearer token. */
function safeBody(body: unknown): unknown {
	if (body === undefined || body === null) return body;
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	const cleaned = text.replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/g, 'Bearer [redacted]');
	const short = cleaned.length > 4000 ? `${cleaned.slice(0, 4000)}…` : cleaned;
	if (typeof body === 'string') return short;
	try {
		return JSON.parse(short) as unknown;
	} catch {
		return short;
	}
}
