'use strict';
/**
 * A realistic demo dataset for the sandbox (`npm run demo`, `npm run sandbox`): contacts and leads,
 * companies, deals spread over the stages with a stage history reaching back weeks, tickets in
 * every status, and tasks (some overdue). Deterministic, so screenshots and reports are stable.
 * Test runs use the bare seed (owners, pipelines, property options) and create their own records.
 */
const DAY = 86_400_000;

const PEOPLE = [
	['Olivia', 'Martin', 'Northwind Traders'], ['Liam', 'Schmidt', 'Contoso'], ['Emma', 'Rossi', 'Fabrikam'],
	['Noah', 'Dubois', 'Tailspin Toys'], ['Mia', 'Novak', 'Wide World Importers'], ['Lucas', 'Jensen', 'Adventure Works'],
	['Sofia', 'Garcia', 'Litware'], ['Elias', 'Kowalski', 'Proseware'], ['Ava', 'Müller', 'Coho Vineyard'],
	['Leo', 'Fischer', 'Alpine Ski House'], ['Isla', 'Costa', 'Blue Yonder Airlines'], ['Hugo', 'Lambert', 'Woodgrove Bank'],
];
const DEAL_STAGES = ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost'];

/** Writes the dataset through the sandbox's own rules, with the clock moved back in time. */
function seedDemoData(sandbox) {
	const owners = sandbox.owners.map((o) => o.id);
	const realClock = sandbox.clock;
	const now = realClock();
	let at = now - 60 * DAY;
	sandbox.setClock(() => at);
	try {
		const contacts = PEOPLE.map(([first, last, company], i) => {
			at += DAY / 2;
			return sandbox.createObject('contacts', {
				firstname: first,
				lastname: last,
				email: `${first}.${last}@${company.toLowerCase().replace(/[^a-z]+/g, '')}.example`.toLowerCase(),
				company,
				lifecyclestage: i % 3 === 0 ? 'customer' : 'lead',
				hs_lead_status: ['NEW', 'OPEN', 'IN_PROGRESS', 'CONNECTED'][i % 4],
				hubspot_owner_id: owners[i % owners.length],
			});
		});
		const companies = [...new Set(PEOPLE.map((p) => p[2]))].map((name) =>
			sandbox.createObject('companies', { name, domain: `${name.toLowerCase().replace(/[^a-z]+/g, '')}.example` }),
		);
		// 36 deals; each walks through the stages up to its final one, a few days per stage.
		for (let i = 0; i < 36; i++) {
			at = now - (55 - i) * DAY;
			const final = DEAL_STAGES[i % DEAL_STAGES.length];
			const deal = sandbox.createObject(
				'deals',
				{ dealname: `${companies[i % companies.length].properties.name} — ${['Starter', 'Growth', 'Enterprise'][i % 3]} plan`, pipeline: 'default', dealstage: 'appointmentscheduled', amount: String(2_000 + ((i * 1_750) % 40_000)), hubspot_owner_id: owners[i % owners.length] },
				{ associations: [{ toType: 'contacts', toId: contacts[i % contacts.length].id, typeId: 3 }] },
			);
			const path = final === 'closedlost' ? DEAL_STAGES.slice(1, 1 + (i % 4)).concat('closedlost') : DEAL_STAGES.slice(1, DEAL_STAGES.indexOf(final) + 1);
			for (const stage of path) {
				at += (2 + (i % 5)) * DAY;
				if (at > now) break;
				sandbox.updateObject('deals', deal.id, { dealstage: stage, ...(stage.startsWith('closed') ? { closedate: new Date(at).toISOString() } : {}) });
			}
		}
		// Tickets in every status of the support pipeline.
		for (let i = 0; i < 12; i++) {
			at = now - (20 - i) * DAY;
			const ticket = sandbox.createObject(
				'tickets',
				{ subject: ['Cannot log in', 'Invoice question', 'Export fails', 'Feature request', 'Slow dashboard', 'Password reset'][i % 6], content: 'Reported by email.', hs_pipeline: '0', hs_pipeline_stage: '1', hs_ticket_priority: ['HIGH', 'MEDIUM', 'LOW'][i % 3], hubspot_owner_id: owners[i % owners.length] },
				{ associations: [{ toType: 'contacts', toId: contacts[i % contacts.length].id, typeId: 16 }] },
			);
			for (const stage of ['2', '3', '4'].slice(0, i % 4)) {
				at += DAY / 3;
				sandbox.updateObject('tickets', ticket.id, { hs_pipeline_stage: stage });
			}
		}
		// Tasks: open, completed, and overdue.
		for (let i = 0; i < 18; i++) {
			at = now - (10 - (i % 10)) * DAY;
			sandbox.createObject(
				'tasks',
				{ hs_task_subject: ['Call back', 'Send proposal', 'Prepare demo', 'Follow up on invoice'][i % 4], hs_task_status: i % 3 === 0 ? 'COMPLETED' : 'NOT_STARTED', hs_task_priority: ['HIGH', 'MEDIUM', 'LOW'][i % 3], hs_timestamp: new Date(now + (i % 5 - 2) * DAY).toISOString(), hubspot_owner_id: owners[i % owners.length] },
				{ associations: [{ toType: 'contacts', toId: contacts[i % contacts.length].id, typeId: 204 }] },
			);
		}
	} finally {
		sandbox.setClock(realClock);
	}
}

module.exports = { seedDemoData };
