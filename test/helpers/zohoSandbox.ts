// The Zoho sandbox's CrmSandbox adapter (test/sandbox/zoho/crmSandbox.ts) for the example
// workflows, with the examples' team: Ana, Ben and Cleo as active Zoho users (the sandbox's seed has
// its own users only).
import { ZohoSandbox as SandboxAdapter, zohoCredentialData } from '../sandbox/zoho/crmSandbox';

export { zohoCredentialData };

const TEAM = [
	['5725767000000000121', 'Ana', 'Alvarez', 'ana@example.com'],
	['5725767000000000122', 'Ben', 'Baker', 'ben@example.com'],
	['5725767000000000123', 'Cleo', 'Chen', 'cleo@example.com'],
];

export class ZohoSandbox extends SandboxAdapter {
	/** The examples' stage names, and their team as active Zoho users. */
	useExampleProcess() {
		super.useExampleProcess();
		for (const [id, first_name, last_name, email] of TEAM) {
			if (!this.zoho.user(email)) this.zoho.users.push({ id, first_name, last_name, email, status: 'active', role: 'Manager', profile: 'Standard' });
		}
	}
}
