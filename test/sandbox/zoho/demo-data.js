'use strict';
/**
 * A small believable dataset for demos of the Zoho sandbox (`--demo-data` or
 * POST /__sandbox/demo-data): accounts, contacts, leads, deals in every stage of the current default
 * pipeline plus two Enterprise deals under the Blueprint, cases, tasks and notes. Written through
 * the sandbox's own record helpers, so every value passes the field catalogue.
 */

const COMPANIES = ['Northwind Traders', 'Contoso Ltd', 'Fabrikam Inc', 'Tailspin Toys', 'Wingtip Supplies'];
const PEOPLE = [
	['Maria', 'Anders'],
	['Ana', 'Trujillo'],
	['Thomas', 'Hardy'],
	['Christina', 'Berglund'],
	['Hanna', 'Moos'],
	['Frédérique', 'Citeaux'],
];

function loadDemoData(zoho) {
	const sam = zoho.user('sam@example.com');
	const sara = zoho.user('sara@example.com');
	const accounts = COMPANIES.map((name, i) => zoho.createRecord('Accounts', { Account_Name: name, Phone: `+1 555 010 ${1000 + i}`, Website: `https://${name.split(' ')[0].toLowerCase()}.example` }));
	const contacts = PEOPLE.map(([first, last], i) =>
		zoho.createRecord('Contacts', { First_Name: first, Last_Name: last, Email: `${first.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}@${COMPANIES[i % COMPANIES.length].split(' ')[0].toLowerCase()}.example`, Account_Name: { id: accounts[i % accounts.length].id } }),
	);
	['Ada Lovelace', 'Grace Hopper', 'Alan Turing'].forEach((name, i) => {
		const [first, last] = name.split(' ');
		zoho.createRecord('Leads', { First_Name: first, Last_Name: last, Email: `${first.toLowerCase()}@lead.example`, Company: `${last} Labs`, Lead_Source: 'Web Download', Lead_Status: 'Not Contacted', Owner: { id: (i % 2 ? sara : sam).id } });
	});
	const standard = zoho.pipelines.find((p) => p.default);
	standard.stages.forEach((stage, i) => {
		zoho.createRecord('Deals', { Deal_Name: `${COMPANIES[i % COMPANIES.length]} renewal ${i + 1}`, Stage: stage.name, Amount: 5000 * (i + 1), Closing_Date: `2026-${String((i % 12) + 1).padStart(2, '0')}-15`, Account_Name: { id: accounts[i % accounts.length].id }, Owner: { id: sam.id } });
	});
	zoho.createRecord('Deals', { Deal_Name: 'Contoso platform', Pipeline: 'Enterprise', Stage: 'Discovery', Closing_Date: '2027-03-31', Account_Name: { id: accounts[1].id } });
	zoho.createRecord('Deals', { Deal_Name: 'Fabrikam rollout', Pipeline: 'Enterprise', Stage: 'Discovery', Closing_Date: '2027-06-30', Amount: 120000, Account_Name: { id: accounts[2].id } });
	const cases = ['Cannot log in', 'Invoice question', 'Feature request: export'].map((subject, i) => zoho.createRecord('Cases', { Subject: subject, Priority: ['High', 'Medium', 'Low'][i], Case_Origin: 'Email', Related_To: { id: contacts[i].id }, Owner: { id: sara.id } }));
	zoho.createRecord('Tasks', { Subject: 'Call back about login', Due_Date: '2026-12-10', What_Id: { id: cases[0].id }, $se_module: 'Cases', Owner: { id: sara.id } });
	zoho.createRecord('Tasks', { Subject: 'Send proposal', Due_Date: '2026-12-12', Priority: 'Highest', Who_Id: { id: contacts[1].id }, Owner: { id: sam.id } });
	zoho.createRecord('Notes', { Note_Title: 'Kick-off', Note_Content: 'Met the buying committee; budget confirmed.', Parent_Id: { module: { api_name: 'Accounts' }, id: accounts[1].id } });
}

module.exports = { loadDemoData };
