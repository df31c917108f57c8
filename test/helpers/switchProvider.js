'use strict';
/**
 * What a user does to move a workflow to another CRM: in each of the package's nodes, choose a
 * credential of that CRM (n8n's editor then sets the node's CRM picker, `provider`, to match).
 * Nothing else in the workflow changes. Used by the in-process tests, the e2e test and the demo.
 */
const PACKAGE_PREFIX = 'n8n-nodes-crm-automation.';

/**
 * @param {{nodes: any[], connections: any}} workflow
 * @param {{provider: string, credentialType: string, credential: {id: string, name: string}}} target
 */
function switchProvider(workflow, target) {
	const copy = JSON.parse(JSON.stringify(workflow));
	for (const node of copy.nodes) {
		if (!String(node.type).startsWith(PACKAGE_PREFIX)) continue;
		if (node.parameters.dataSource === 'input') continue;
		node.parameters.provider = target.provider;
		node.credentials = { [target.credentialType]: { ...target.credential } };
	}
	return copy;
}

module.exports = { switchProvider, PACKAGE_PREFIX };
