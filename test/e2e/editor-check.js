'use strict';
/**
 * Editor check in headless Chromium against a running n8n with the examples imported (the e2e
 * test's, or `npm run demo`'s): logs in, opens the lead-routing example, opens a CRM node, and
 * saves screenshots under artifacts/ so a person can see the node as users see it. Asserts the
 * resource/operation/assignment pickers and a user list loaded from the sandbox.
 *
 *   node test/e2e/editor-check.js [baseUrl]     (defaults: the demo's instance and workflow ids)
 */
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const OUT = path.resolve(__dirname, '..', '..', 'artifacts');
const DEMO = { base: 'http://localhost:5678', email: 'demo@example.com', password: 'Demo-password-1', routingId: 'demoLeadRouting1', stageChangeId: 'demoStageChange3', salesforceClassicId: 'demoSfClassic001' };

async function checkEditor(target = DEMO) {
	const BASE = target.base;
	fs.mkdirSync(OUT, { recursive: true });
	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
	});
	const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	const shot = async (name) => {
		const file = path.join(OUT, name);
		await page.screenshot({ path: file });
		console.log(`screenshot: ${file}`);
	};
	try {
		await page.goto(`${BASE}/signin`);
		await page.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(target.email);
		await page.locator('input[type="password"]').first().fill(target.password);
		await page.keyboard.press('Enter');
		await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 30_000 });
		await page.goto(`${BASE}/workflow/${target.routingId}`);
		await page.getByText('Assign Owner', { exact: true }).first().waitFor({ timeout: 30_000 });
		await page.waitForTimeout(1500);
		await shot('editor-workflow.png');
		await page.keyboard.press('Escape');
		const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: 'Call Task' }).first();
		await node.dblclick({ force: true });
		await page.getByText('Resource', { exact: true }).first().waitFor({ timeout: 15_000 });
		await page.waitForTimeout(1500);
		await shot('editor-crm-node.png');
		const body = await page.locator('body').innerText();
		// The CRM picker is the node's authentication field for n8n's editor: it is not a parameter
		// on the panel but the credential list (checked on the Salesforce example below).
		for (const label of ['Credential', 'Resource', 'Operation', 'Assignment Strategy', 'User']) {
			if (!body.includes(label)) throw new Error(`the CRM node panel does not show "${label}"`);
		}
		console.log('ok: credential, resource, operation and assignment pickers are shown');
		// Users load from the CRM: in the stage-change example (a fixed user), switch the User
		// picker to "From List" and open it.
		await page.keyboard.press('Escape');
		await page.goto(`${BASE}/workflow/${target.stageChangeId}`);
		await page.getByText('Follow-up Task', { exact: true }).first().waitFor({ timeout: 30_000 });
		await page.keyboard.press('Escape');
		await page.locator('[data-test-id="canvas-node"]').filter({ hasText: 'Follow-up Task' }).first().dblclick({ force: true });
		const user = page.locator('[data-test-id="resource-locator-user"]');
		await user.locator('[data-test-id="rlc-mode-selector"]').click();
		await page.locator('[data-test-id="mode-list"]').click();
		await user.locator('[data-test-id="rlc-input-container"]').click();
		await page.getByText('ana@example.com', { exact: false }).first().waitFor({ timeout: 20_000 });
		await page.waitForTimeout(500);
		await shot('editor-user-list.png');
		console.log('ok: the user list is loaded from the CRM sandbox');
		if (target.salesforceClassicId) {
			// The classic example on Salesforce: provider and authentication shown, and the lead
			// status list loaded from the Salesforce sandbox's LeadStatus values.
			await page.keyboard.press('Escape');
			await page.goto(`${BASE}/workflow/${target.salesforceClassicId}`);
			await page.getByText('Update Status', { exact: true }).first().waitFor({ timeout: 30_000 });
			await page.keyboard.press('Escape');
			await page.locator('[data-test-id="canvas-node"]').filter({ hasText: 'Update Status' }).first().dblclick({ force: true });
			await page.getByText('Resource', { exact: true }).first().waitFor({ timeout: 15_000 });
			await page.waitForTimeout(1500);
			await shot('editor-salesforce-node.png');
			const panel = await page.locator('body').innerText();
			for (const text of ['Credential', 'Resource', 'Status']) {
				if (!panel.includes(text)) throw new Error(`the Salesforce node panel does not show "${text}"`);
			}
			const credential = await page.locator('[data-test-id="node-credentials-select"] input').first().inputValue();
			if (credential !== 'CRM sandbox (Salesforce OAuth2)') throw new Error(`the Salesforce node shows credential "${credential}"`);
			const stage = page.locator('[data-test-id="resource-locator-stage"]');
			await stage.locator('[data-test-id="rlc-mode-selector"]').click();
			await page.locator('[data-test-id="mode-list"]').click();
			await stage.locator('[data-test-id="rlc-input-container"]').click();
			await page.getByText('Working - Contacted', { exact: false }).first().waitFor({ timeout: 20_000 });
			await page.waitForTimeout(500);
			await shot('editor-salesforce-status.png');
			console.log('ok: the Salesforce lead status list is loaded from the Salesforce sandbox');
			// Moving the node to another CRM is choosing another credential: the list holds every CRM's.
			await page.keyboard.press('Escape');
			await page.locator('[data-test-id="node-credentials-select"]').first().click();
			await page.getByText('CRM sandbox (HubSpot API)', { exact: false }).first().waitFor({ timeout: 15_000 });
			await page.getByText('CRM sandbox (Salesforce JWT)', { exact: false }).first().waitFor({ timeout: 15_000 });
			await page.waitForTimeout(500);
			await shot('editor-credential-choice.png');
			console.log('ok: the credential list offers every CRM (switching CRM = choosing its credential)');
		}
	} finally {
		await browser.close();
	}
}

module.exports = { checkEditor };

if (require.main === module) {
	checkEditor({ ...DEMO, base: process.argv[2] || DEMO.base }).catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
