'use strict';
/**
 * A small realistic dataset for demos (`--demo-data`): organizations, persons, leads with labels,
 * deals spread over the stages with owners, open activities and notes. Uses only the sandbox's
 * public API, so every record follows the same rules as the API's writes.
 */
function seedDemoData(sandbox) {
	const users = sandbox.users.filter((u) => u.active_flag && u.email !== 'admin@example.com');
	const stages = sandbox.list('stages').sort((a, b) => a.order_nr - b.order_nr);
	const companies = ['Acme Corp', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark Industries'];
	const people = [
		['Nina Novak', 'nina@acme.example'],
		['Omar Ortiz', 'omar@globex.example'],
		['Petra Pohl', 'petra@initech.example'],
		['Quinn Quade', 'quinn@umbrella.example'],
		['Rosa Ruiz', 'rosa@hooli.example'],
		['Sven Stark', 'sven@stark.example'],
	];
	const counts = { organizations: 0, persons: 0, leads: 0, deals: 0, activities: 0, notes: 0 };
	const labels = sandbox.listLeadLabels();
	people.forEach(([name, email], i) => {
		const owner = users[i % users.length].id;
		const org = sandbox.create('organizations', { name: companies[i], owner_id: owner });
		const person = sandbox.create('persons', { name, emails: [{ value: email, primary: true, label: 'work' }], org_id: org.id, owner_id: owner });
		counts.organizations += 1;
		counts.persons += 1;
		const lead = sandbox.create('leads', { title: `${companies[i]} lead`, person_id: person.id, organization_id: org.id, owner_id: owner, label_ids: [labels[i % labels.length].id] });
		counts.leads += 1;
		const deal = sandbox.create('deals', { title: `${companies[i]} deal`, person_id: person.id, org_id: org.id, owner_id: owner, value: 1000 * (i + 1), stage_id: stages[i % stages.length].id });
		counts.deals += 1;
		sandbox.create('activities', { subject: `Call ${name}`, type: 'call', owner_id: owner, deal_id: deal.id, person_id: person.id, due_date: '2026-12-01', due_time: '10:00' });
		counts.activities += 1;
		sandbox.create('notes', { content: `Met ${name} at the trade fair.`, lead_id: lead.id });
		counts.notes += 1;
	});
	return counts;
}

module.exports = { seedDemoData };
