'use strict';
/**
 * A realistic demo dataset for the EspoCRM sandbox (`--demo-data`, `POST /__sandbox/demo-data`):
 * accounts and contacts, leads in every status, opportunities moving through the stages over the
 * last weeks (so their streams hold the stage history the reports read), cases opened, answered
 * and closed at different speeds, and tasks (some completed, some overdue). Deterministic:
 * screenshots and reports stay stable. Test runs start from the bare seed and create their own.
 */
const DAY = 86_400_000;
const HOUR = 3_600_000;

const PEOPLE = [
	['Olivia', 'Martin', 'Northwind Traders'], ['Liam', 'Schmidt', 'Contoso'], ['Emma', 'Rossi', 'Fabrikam'],
	['Noah', 'Dubois', 'Tailspin Toys'], ['Mia', 'Novak', 'Wide World Importers'], ['Lucas', 'Jensen', 'Adventure Works'],
	['Sofia', 'Garcia', 'Litware'], ['Elias', 'Kowalski', 'Proseware'], ['Ava', 'Moreau', 'Coho Vineyard'],
	['Leo', 'Fischer', 'Alpine Ski House'], ['Isla', 'Costa', 'Blue Yonder Airlines'], ['Hugo', 'Lambert', 'Woodgrove Bank'],
];
const OWNERS = ['u-ana', 'u-ben', 'u-cleo', 'u-dan'];
const LEAD_STATUSES = ['New', 'Assigned', 'In Process', 'Recycled', 'Dead'];
const domainOf = (company) => `${company.toLowerCase().replace(/[^a-z]+/g, '')}.example`;
const date = (ms) => new Date(ms).toISOString().slice(0, 10);
const fmt = (ms) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** Writes the dataset through the sandbox's own rules, with the clock moved back in time. */
function seedDemoData(sandbox) {
	const realClock = sandbox.clock;
	const now = realClock();
	let at = now - 60 * DAY;
	sandbox.setClock(() => at);
	const counts = { accounts: 0, contacts: 0, leads: 0, opportunities: 0, cases: 0, tasks: 0 };
	// The instance's stage list (the default one, or an admin's, e.g. --example-process).
	const stageDefs = sandbox.metadata.entityDefs.Opportunity.fields.stage;
	const probability = (stage) => (stageDefs.probabilityMap || {})[stage];
	const OPEN_STAGES = stageDefs.options.filter((s) => probability(s) !== 100 && probability(s) !== 0);
	const WON = stageDefs.options.find((s) => probability(s) === 100);
	const LOST = stageDefs.options.find((s) => probability(s) === 0);
	try {
		const accounts = [...new Set(PEOPLE.map((p) => p[2]))].map((name, i) => {
			at += HOUR;
			counts.accounts++;
			return sandbox.createRecord('Account', { name, website: `https://${domainOf(name)}`, type: i % 3 === 0 ? 'Customer' : 'Partner', assignedUserId: OWNERS[i % OWNERS.length] });
		});
		const contacts = PEOPLE.map(([first, last, company], i) => {
			at += HOUR;
			counts.contacts++;
			return sandbox.createRecord('Contact', {
				firstName: first,
				lastName: last,
				emailAddress: `${first}.${last}@${domainOf(company)}`.toLowerCase(),
				accountId: accounts.find((a) => a.name === company).id,
				assignedUserId: OWNERS[i % OWNERS.length],
				// One contact unsubscribed from email, one asked not to be called.
				...(i === 4 ? { emailAddressIsOptedOut: true } : {}),
				...(i === 7 ? { doNotCall: true } : {}),
			});
		});
		for (let i = 0; i < 10; i++) {
			at += 4 * HOUR;
			counts.leads++;
			sandbox.createRecord('Lead', {
				firstName: ['Grace', 'Alan', 'Ada', 'Linus', 'Barbara', 'Edsger', 'Margaret', 'Dennis', 'Frances', 'Ken'][i],
				lastName: ['Hopper', 'Turing', 'Lovelace', 'Torvalds', 'Liskov', 'Dijkstra', 'Hamilton', 'Ritchie', 'Allen', 'Thompson'][i],
				emailAddress: `lead${i + 1}@prospect.example`,
				accountName: `Prospect ${i + 1} Ltd`,
				source: ['Web Site', 'Call', 'Email', 'Partner', 'Campaign'][i % 5],
				status: LEAD_STATUSES[i % LEAD_STATUSES.length],
				assignedUserId: i % 4 === 3 ? null : OWNERS[i % OWNERS.length],
			});
		}
		// Opportunities: created over six weeks, each moved forward a few times; some closed.
		const deals = [];
		for (let i = 0; i < 16; i++) {
			at = now - (45 - i * 2) * DAY;
			const contact = contacts[i % contacts.length];
			counts.opportunities++;
			deals.push(
				sandbox.createRecord('Opportunity', {
					name: `${PEOPLE[i % PEOPLE.length][2]} ${['renewal', 'expansion', 'pilot', 'licences'][i % 4]}`,
					amount: 2000 + ((i * 1370) % 18000),
					amountCurrency: 'EUR',
					closeDate: date(now + ((i % 5) - 1) * 7 * DAY),
					stage: OPEN_STAGES[0],
					accountId: contact.accountId,
					contactsIds: [contact.id],
					assignedUserId: OWNERS[i % OWNERS.length],
					leadSource: ['Web Site', 'Partner', 'Existing Customer'][i % 3],
				}),
			);
		}
		deals.forEach((deal, i) => {
			const moves = i % 6;
			let t = Date.parse(`${deal.createdAt.replace(' ', 'T')}Z`);
			for (let m = 1; m <= Math.min(moves, 3, OPEN_STAGES.length - 1); m++) {
				t += (2 + ((i + m) % 4)) * DAY;
				at = Math.min(t, now - HOUR);
				sandbox.updateRecord('Opportunity', deal.id, { stage: OPEN_STAGES[m] }, { userId: deal.assignedUserId });
			}
			if (moves >= 4) {
				at = Math.min(t + 3 * DAY, now - HOUR);
				sandbox.updateRecord('Opportunity', deal.id, { stage: moves === 4 ? WON : LOST }, { userId: deal.assignedUserId });
			}
		});
		// Cases: opened over the last three weeks; answered (a post by the agent) and closed at different speeds.
		for (let i = 0; i < 12; i++) {
			at = now - (21 - i * 1.5) * DAY;
			const contact = contacts[(i * 5) % contacts.length];
			counts.cases++;
			const ticket = sandbox.createRecord('Case', {
				name: ['Cannot sign in', 'Invoice question', 'Export fails', 'Feature request', 'Slow dashboard', 'Password reset'][i % 6],
				priority: ['Low', 'Normal', 'High', 'Urgent'][i % 4],
				type: ['Question', 'Incident', 'Problem'][i % 3],
				accountId: contact.accountId,
				contactId: contact.id,
				assignedUserId: OWNERS[(i + 1) % OWNERS.length],
			});
			if (i % 4 !== 3) {
				at += (1 + (i % 5) * 3) * HOUR;
				sandbox.updateRecord('Case', ticket.id, { status: 'Assigned' }, { userId: ticket.assignedUserId });
				sandbox.postNote('Case', ticket.id, 'Thanks for reaching out, we are looking into it.', { userId: ticket.assignedUserId });
			}
			if (i % 3 === 0 && i < 10) {
				at += (6 + i * 2) * HOUR;
				sandbox.updateRecord('Case', ticket.id, { status: 'Closed' }, { userId: ticket.assignedUserId });
			} else if (i % 3 === 1) {
				at += 12 * HOUR;
				sandbox.updateRecord('Case', ticket.id, { status: 'Pending' }, { userId: ticket.assignedUserId });
			}
		}
		// Tasks: follow-ups on deals and cases; some done, some overdue.
		for (let i = 0; i < 14; i++) {
			at = now - (20 - i) * DAY;
			const deal = deals[i % deals.length];
			counts.tasks++;
			const task = sandbox.createRecord('Task', {
				name: ['Call back', 'Send proposal', 'Prepare demo', 'Follow up on contract'][i % 4],
				assignedUserId: OWNERS[i % OWNERS.length],
				parentType: 'Opportunity',
				parentId: deal.id,
				priority: ['Normal', 'High', 'Low', 'Urgent'][i % 4],
				dateEnd: fmt(now + (i - 8) * DAY),
			});
			if (i % 3 === 0) {
				at += DAY;
				sandbox.updateRecord('Task', task.id, { status: 'Completed' }, { userId: task.assignedUserId });
			}
		}
	} finally {
		sandbox.setClock(realClock);
	}
	return counts;
}

module.exports = { seedDemoData };
