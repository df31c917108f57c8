/* eslint-disable */
// Minimal in-process n8n workflow runner for jest (n8n-core 2.41.1 / n8n-workflow 2.41.0).
import { ExecutionLifecycleHooks, PollContext, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	isExpression,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

export const manualTrigger: INodeType = {
	description: {
		displayName: 'Manual Trigger', name: 'manualTrigger', group: ['trigger'], version: 1,
		description: '', defaults: { name: 'Manual Trigger' }, inputs: [], outputs: ['main'], properties: [],
	},
	async execute() {
		return [[{ json: {} }]];
	},
};

class NodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}
	getByName(name: string) {
		const t = this.types[name];
		if (!t) throw new Error(`Unknown node type ${name}`);
		return t;
	}
	getByNameAndVersion(name: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(name), version);
	}
	getKnownTypes(): IDataObject {
		return {};
	}
}

/** Credentials keyed by credential type name; implements what n8n-core calls. */
class CredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly types: Record<string, ICredentialType>,
		private readonly data: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}
	private type(name: string) {
		const t = this.types[name];
		if (!t) throw new Error(`Unknown credential type ${name}`);
		return t;
	}
	getParentTypes(name: string): string[] {
		const ext = this.types[name]?.extends ?? [];
		return ext.flatMap((p) => [p, ...this.getParentTypes(p)]);
	}
	isCredentialUsableByNode() {
		return true;
	}
	async getDecrypted(_ad: unknown, _nc: INodeCredentialsDetails, type: string) {
		if (!this.data[type]) throw new Error(`No credential data for ${type}`);
		return structuredClone(this.data[type]);
	}
	async authenticate(credentials: ICredentialDataDecryptedObject, typeName: string,
		req: IHttpRequestOptions, workflow?: Workflow, node?: INode): Promise<IHttpRequestOptions> {
		const auth = this.type(typeName).authenticate;
		if (typeof auth === 'function') return await auth(credentials, req);
		if (auth?.type === 'generic') {
			const resolve = (v: string) =>
				isExpression(v)
					? String(workflow!.expression.getSimpleParameterValue(node!, v, 'internal',
							{ $credentials: credentials }, undefined, '') ?? '')
					: v;
			for (const [outer, inner] of Object.entries(auth.properties)) {
				const target = ((req as any)[outer] ??= {});
				for (const [k, v] of Object.entries(inner as Record<string, string>)) target[resolve(k)] = resolve(v);
			}
		}
		return req;
	}
	/** Times a credential's preAuthentication ran (token grants), by credential type. */
	readonly preAuthentications: Record<string, number> = {};
	/**
	 * As n8n's CredentialsHelper: a credential with a hidden `expirable` property gets its
	 * `preAuthentication` run when that property is empty (n8n fills unset properties with their
	 * default '') or the credential expired (a 401); the output is saved with the credential.
	 */
	async preAuthentication(helpers: any, credentials: ICredentialDataDecryptedObject, typeName: string, _node: INode, credentialsExpired: boolean) {
		const type = this.type(typeName);
		const expirable = type.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		const current = credentials[expirable.name];
		if (!(current === '' || current === undefined || credentialsExpired)) return undefined;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		this.preAuthentications[typeName] = (this.preAuthentications[typeName] ?? 0) + 1;
		this.data[typeName] = { ...this.data[typeName], ...(output as ICredentialDataDecryptedObject) };
		return Object.assign(credentials, output);
	}
	async runPreAuthentication() {
		return undefined;
	}
	async getCredentials(): Promise<never> {
		throw new Error('not implemented');
	}
	async updateCredentials(_nc: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject) {
		this.data[type] = { ...data };
	}
	/** n8n saves a refreshed OAuth2 token with the credential. */
	async updateCredentialsOauthTokenData(_nc: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject) {
		this.data[type] = { ...this.data[type], oauthTokenData: data.oauthTokenData as ICredentialDataDecryptedObject };
	}
	getCredentialsProperties(type: string): INodeProperties[] {
		return this.type(type).properties;
	}
}

export interface RunOptions {
	workflow: Pick<IWorkflowBase, 'nodes' | 'connections'>;
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	credentialTypes?: Record<string, ICredentialType>;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** The workflow's static data, kept across runs by passing the returned object back in. */
	staticData?: IDataObject;
}

export interface NodeResult {
	items: INodeExecutionData[][]; // per main output, per run 0
	error?: Error & IDataObject;
}

let executions = 0;

function setUp(opts: RunOptions) {
	const workflowData: IWorkflowBase = {
		id: 'wf1', name: 'test', active: false, isArchived: false, activeVersionId: null,
		createdAt: new Date(), updatedAt: new Date(), settings: {}, ...opts.workflow,
	} as IWorkflowBase;
	const workflow = new Workflow({
		id: 'wf1', nodes: workflowData.nodes, connections: workflowData.connections, active: false,
		nodeTypes: new NodeTypes({ 'n8n-nodes-base.manualTrigger': manualTrigger, ...opts.nodeTypes }),
		settings: {},
		staticData: opts.staticData,
	});
	// A new id per run, as n8n gives every execution its own (providers may share reads within one execution).
	const executionId = `exec-${++executions}`;
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
	// Plain object: n8n-core 2.x breaks with a deep mock here.
	const additionalData = {
		credentialsHelper: new CredentialsHelper(opts.credentialTypes ?? {}, opts.credentials ?? {}),
		hooks, executionId, currentNodeExecutionIndex: 0, variables: {},
		restApiUrl: 'http://localhost/rest', instanceBaseUrl: 'http://localhost', webhookBaseUrl: 'http://localhost/webhook',
		webhookWaitingBaseUrl: 'http://localhost/webhook-waiting', webhookTestBaseUrl: 'http://localhost/webhook-test',
		formBaseUrl: 'http://localhost/form', formWaitingBaseUrl: 'http://localhost/form-waiting', formTestBaseUrl: 'http://localhost/form-test',
		mcpBaseUrl: 'http://localhost/mcp', mcpTestBaseUrl: 'http://localhost/mcp-test',
		logAiEvent: () => {}, getRunExecutionData: async () => undefined, getRuntimeCredential: async () => undefined,
		executeWorkflow: async () => { throw new Error('executeWorkflow not supported'); },
		startRunnerTask: async () => { throw new Error('startRunnerTask not supported'); },
	} as unknown as IWorkflowExecuteAdditionalData;
	return { workflowData, workflow, additionalData };
}

/**
 * Runs a polling trigger node's poll() the way n8n's poller does (n8n-core's PollContext), in
 * `trigger` mode (an active workflow) or `manual` mode (Fetch Test Event). Static data is read
 * from and written to `opts.staticData`, as n8n persists it between polls.
 */
export async function pollNode(opts: RunOptions & { nodeName: string; mode: 'trigger' | 'manual' }) {
	const { workflow, additionalData } = setUp(opts);
	const node = workflow.getNode(opts.nodeName)!;
	const context = new PollContext(workflow, node, additionalData, opts.mode, 'activate');
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion) as INodeType;
	const output = await nodeType.poll!.call(context);
	return { output, staticData: workflow.staticData as IDataObject };
}

export async function runWorkflow(opts: RunOptions & { startNodeName?: string }) {
	const { workflowData, workflow, additionalData } = setUp(opts);

	const startNode = opts.startNodeName
		? workflowData.nodes.find((n) => n.name === opts.startNodeName)
		: workflowData.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger');
	const run: IRun = await new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode });

	const nodes: Record<string, NodeResult> = {};
	for (const [name, tasks] of Object.entries(run.data.resultData.runData)) {
		const t = tasks[0];
		nodes[name] = { items: (t.data?.main ?? []).map((o) => o ?? []), error: t.error as any };
	}
	return { run, nodes, error: run.data.resultData.error, status: run.status, staticData: workflow.staticData as IDataObject };
}
