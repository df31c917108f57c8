'use strict';
/**
 * A realistic small org for the demo (`node test/sandbox/salesforce/server.js --demo-data`,
 * POST /__sandbox/reset {"demoData": true}): accounts with contacts, leads in every status (some
 * converted), opportunities in every stage with a stage history reaching back weeks, cases in every
 * status (with CaseHistory), tasks (open, completed and overdue) and notes. Deterministic, so
 * screenshots and reports are stable. Written through the sandbox's own rules with the clock moved
 * back in time, so every derived field and history row is what the API would have produced.
 * Test runs use the bare seed and create their own records.
 */
const DAY = 86_400_000;

const COMPANIES = [
	['Northwind Traders', 'northwind.example', 'Retail'],
	['Contoso', 'contoso.example', 'Technology'],
	['Fabrikam', 'fabrikam.example', 'Manufacturing'],
	['Tailspin Toys', 'tailspintoys.example', 'Retail'],
	['Wide World Importers', 'wideworldimporters.example', 'Shipping'],
	['Adventure Works', 'adventureworks.example', 'Recreation'],
];
const PEOPLE = [
	['Olivia', 'Martin'], ['Liam', 'Schmidt'], ['Emma', 'Rossi'], ['Noah', 'Dubois'], ['Mia', 'Novak'], ['Lucas', 'Jensen'],
	['Sofia', 'Garcia'], ['Elias', 'Kowalski'], ['Ava', 'Müller'], ['Leo', 'Fischer'], ['Isla', 'Costa'], ['Hugo', 'Lambert'],
];
const LEADS = [
	['Grace', 'Hopper', 'Litware', 'Web'], ['Alan', 'Turing', 'Proseware', 'Phone Inquiry'], ['Ada', 'Lovelace', 'Coho Vineyard', 'Partner Referral'],
	['Linus', 'Pauling', 'Alpine Ski House', 'Web'], ['Marie', 'Curie', 'Blue Yonder Airlines', 'Purchased List'], ['Niels', 'Bohr', 'Woodgrove Bank', 'Other'],
	['Rosalind', 'Franklin', 'Lucerne Publishing', 'Web'], ['Carl', 'Sagan', 'Margie’s Travel', 'Web'], ['Lise', 'Meitner', 'Trey Research', 'Phone Inquiry'],
	['Katherine', 'Johnson', 'Humongous Insurance', 'Partner Referral'],
];
const CASE_SUBJECTS = ['Cannot log in', 'Invoice question', 'Export fails', 'Feature request', 'Slow dashboard', 'Password reset'];
const TASK_SUBJECTS = ['Call back', 'Send proposal', 'Prepare demo', 'Follow up on invoice'];

const iso = (ms) => new Date(ms).toISOString();
const dateOnly = (ms) => iso(ms).slice(0, 10);

/** Writes the dataset through the sandbox's rules with the clock moved back in time. */
function seedDemoData(sandbox) {
	const users = sandbox.users();
	const owners = ['ana', 'ben', 'cleo', 'dan'].filter((k) => users[k]).map((k) => users[k].Id);
	if (owners.length === 0) owners.push(sandbox.integrationUserId);
	const owner = (i) => owners[i % owners.length];
	const realClock = sandbox.clock;
	const now = realClock();
	let at = now - 60 * DAY;
	sandbox.setClock(() => at);
	try {
		const accounts = COMPANIES.map(([name, domain, industry], i) => {
			at += DAY / 4;
			return sandbox.insert('Account', { Name: name, Website: `https://www.${domain}`, Industry: industry, Type: i % 2 ? 'Customer - Direct' : 'Prospect', OwnerId: owner(i) });
		});
		const contacts = PEOPLE.map(([first, last], i) => {
			at += DAY / 4;
			const account = accounts[i % accounts.length];
			const domain = COMPANIES[i % COMPANIES.length][1];
			return sandbox.insert('Contact', {
				FirstName: first,
				LastName: last,
				Email: `${first}.${last}@${domain}`.toLowerCase().replace('ü', 'ue'),
				Title: ['CEO', 'CFO', 'Head of Operations', 'IT Manager'][i % 4],
				AccountId: account.Id,
				OwnerId: owner(i),
				HasOptedOutOfEmail: i === 5,
				DoNotCall: i === 7,
			});
		});

		// Leads in every status; two qualified ones are converted (as a rep would in the UI).
		const openStatuses = sandbox.list('LeadStatus').filter((s) => !s.IsConverted).map((s) => s.MasterLabel);
		LEADS.forEach(([first, last, company, source], i) => {
			at = now - (40 - i * 3) * DAY;
			const lead = sandbox.insert('Lead', {
				FirstName: first,
				LastName: last,
				Company: company,
				Email: `${first}.${last}@${company.toLowerCase().replace(/[^a-z]+/g, '')}.example`.toLowerCase(),
				LeadSource: source,
				Status: openStatuses[i % openStatuses.length],
				OwnerId: owner(i),
			});
			if (i < 2) {
				at += DAY;
				sandbox.convertLead(lead.Id, { opportunityName: `${company} — first order` });
			}
		});

		// Opportunities: one or more per stage; each walks through the open stages up to its final one.
		const stages = sandbox.list('OpportunityStage').filter((s) => s.IsActive);
		const openStages = stages.filter((s) => !s.IsClosed);
		const closed = stages.filter((s) => s.IsClosed);
		const targets = [...stages.map((s) => s.MasterLabel), ...openStages.slice(0, 4).map((s) => s.MasterLabel)];
		targets.forEach((target, i) => {
			at = now - (55 - i * 2) * DAY;
			const account = accounts[i % accounts.length];
			const opp = sandbox.insert('Opportunity', {
				Name: `${account.Name} — ${['Starter', 'Growth', 'Enterprise'][i % 3]} plan`,
				AccountId: account.Id,
				StageName: openStages[0].MasterLabel,
				CloseDate: dateOnly(now + (10 + i * 5) * DAY),
				Amount: 2000 + ((i * 1750) % 40000),
				OwnerId: owner(i),
				LeadSource: ['Web', 'Partner Referral', 'Phone Inquiry'][i % 3],
			});
			const targetIndex = openStages.findIndex((s) => s.MasterLabel === target);
			const path = targetIndex >= 0 ? openStages.slice(1, targetIndex + 1) : openStages.slice(1, 1 + (i % 4));
			for (const stage of path) {
				at += (2 + (i % 4)) * DAY;
				if (at > now) break;
				sandbox.update('Opportunity', opp.Id, { StageName: stage.MasterLabel });
			}
			if (closed.some((s) => s.MasterLabel === target)) {
				at += 2 * DAY;
				if (at <= now) sandbox.update('Opportunity', opp.Id, { StageName: target, CloseDate: dateOnly(at) });
			}
		});

		// Cases in every status (Case.Status changes are tracked, so CaseHistory has rows).
		const caseStatuses = sandbox.list('CaseStatus').map((s) => s.MasterLabel);
		for (let i = 0; i < 12; i++) {
			at = now - (20 - i) * DAY;
			const contact = contacts[i % contacts.length];
			const kase = sandbox.insert('Case', {
				Subject: CASE_SUBJECTS[i % CASE_SUBJECTS.length],
				Description: 'Reported by email.',
				Origin: ['Email', 'Phone', 'Web'][i % 3],
				Priority: ['High', 'Medium', 'Low'][i % 3],
				ContactId: contact.Id,
				AccountId: contact.AccountId,
				OwnerId: owner(i),
			});
			for (const status of caseStatuses.slice(1, 1 + (i % caseStatuses.length))) {
				at += DAY / 3;
				sandbox.update('Case', kase.Id, { Status: status });
			}
		}

		// Tasks: open, completed and overdue, on contacts and opportunities.
		const taskStatuses = sandbox.list('TaskStatus');
		const done = taskStatuses.find((s) => s.IsClosed);
		const opps = sandbox.list('Opportunity');
		for (let i = 0; i < 18; i++) {
			at = now - (10 - (i % 10)) * DAY;
			const contact = contacts[i % contacts.length];
			sandbox.insert('Task', {
				Subject: TASK_SUBJECTS[i % TASK_SUBJECTS.length],
				Status: i % 3 === 0 && done ? done.MasterLabel : taskStatuses[0].MasterLabel,
				Priority: ['High', 'Normal', 'Low'][i % 3],
				ActivityDate: dateOnly(now + ((i % 5) - 2) * DAY),
				WhoId: contact.Id,
				WhatId: i % 2 ? opps[i % opps.length].Id : null,
				OwnerId: owner(i),
			});
		}
		for (let i = 0; i < 4; i++) {
			at = now - (5 - i) * DAY;
			sandbox.insert('Note', { ParentId: accounts[i].Id, Title: 'Kick-off call', Body: 'Discussed goals, timeline and next steps.', OwnerId: owner(i) });
		}
	} finally {
		sandbox.setClock(realClock);
	}
}

module.exports = { seedDemoData };
