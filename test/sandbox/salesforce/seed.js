'use strict';
/**
 * Default org configuration of the Salesforce sandbox: users, the status picklists (LeadStatus,
 * OpportunityStage, CaseStatus, TaskStatus) and field history tracking. No CRM records are
 * seeded (tests create their own; demo-data.js adds a realistic org for the demo).
 *
 * Sources:
 * - LeadStatus fields ApiName, IsConverted, IsDefault, MasterLabel, SortOrder:
 *   https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_leadstatus.htm
 *   Default values: New (default), Working, Nurturing, Qualified (converted), Unqualified are the
 *   five lead stages of current Lightning orgs (secondary: Salesforce developer forum thread
 *   https://dfc-org-production.my.site.com/forums/ForumsMain?id=906F00000005KweIAE ; older orgs
 *   have Open - Not Contacted / Working - Contacted / Closed - Converted / Closed - Not Converted,
 *   see https://github.com/trailheadapps/easy-spaces-lwc/pull/48). Marking Qualified as the
 *   converted status is unverified.
 * - OpportunityStage fields (ApiName, DefaultProbability, Description, ForecastCategory,
 *   ForecastCategoryName, IsActive, IsClosed, IsWon, MasterLabel, SortOrder):
 *   https://developer.salesforce.com/docs/platform/field-reference/references/field-reference/salesforce-field-reference-opportunitystage.html
 *   The ten default stages (Prospecting … Closed Lost): https://crmnewstoday.com/?p=553 (secondary);
 *   their default probabilities and forecast categories are the well-known defaults (unverified).
 * - CaseStatus (ApiName, IsClosed, IsDefault, MasterLabel, SortOrder):
 *   https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_casestatus.htm
 *   New (default) / Working / Escalated / Closed (unverified defaults).
 * - TaskStatus (same fields): the Task page lists the Status values "Completed, Deferred, In
 *   Progress, Not Started, Waiting on someone else" with default Not Started:
 *   https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_task.htm
 */

const SEED_TIME = Date.parse('2024-01-02T09:00:00.000Z');

/** Users: the five people of the demo org plus the integration user the API runs as. */
function users() {
	const user = (key, firstName, lastName, email, isActive = true, extra = {}) => ({
		key,
		FirstName: firstName,
		LastName: lastName,
		Email: email,
		Username: `${email}.sandbox`,
		Alias: `${firstName.slice(0, 1)}${lastName.slice(0, 4)}`.toLowerCase(),
		IsActive: isActive,
		UserType: 'Standard',
		TimeZoneSidKey: 'GMT',
		Title: 'Account Executive',
		...extra,
	});
	return [
		user('integration', 'Integration', 'User', 'integration@example.com', true, { Title: 'API integration' }),
		user('ana', 'Ana', 'Alvarez', 'ana@example.com'),
		user('ben', 'Ben', 'Baker', 'ben@example.com'),
		user('cleo', 'Cleo', 'Chen', 'cleo@example.com'),
		user('dan', 'Dan', 'Dietrich', 'dan@example.com'),
		user('eve', 'Eve', 'Evans', 'eve@example.com', false),
	];
}

/** ForecastCategoryName → ForecastCategory (the API value behind each label). */
const FORECAST_CATEGORY = {
	Pipeline: 'Pipeline',
	'Best Case': 'BestCase',
	Commit: 'Forecast',
	'Most Likely': 'MostLikely',
	Closed: 'Closed',
	Omitted: 'Omitted',
};

function picklists() {
	return {
		LeadStatus: [
			{ MasterLabel: 'New', IsDefault: true },
			{ MasterLabel: 'Working' },
			{ MasterLabel: 'Nurturing' },
			{ MasterLabel: 'Qualified', IsConverted: true },
			{ MasterLabel: 'Unqualified' },
		],
		OpportunityStage: [
			{ MasterLabel: 'Prospecting', DefaultProbability: 10, ForecastCategoryName: 'Pipeline' },
			{ MasterLabel: 'Qualification', DefaultProbability: 10, ForecastCategoryName: 'Pipeline' },
			{ MasterLabel: 'Needs Analysis', DefaultProbability: 20, ForecastCategoryName: 'Pipeline' },
			{ MasterLabel: 'Value Proposition', DefaultProbability: 50, ForecastCategoryName: 'Pipeline' },
			{ MasterLabel: 'Id. Decision Makers', DefaultProbability: 60, ForecastCategoryName: 'Pipeline' },
			{ MasterLabel: 'Perception Analysis', DefaultProbability: 70, ForecastCategoryName: 'Pipeline' },
			{ MasterLabel: 'Proposal/Price Quote', DefaultProbability: 75, ForecastCategoryName: 'Pipeline' },
			{ MasterLabel: 'Negotiation/Review', DefaultProbability: 90, ForecastCategoryName: 'Pipeline' },
			{ MasterLabel: 'Closed Won', DefaultProbability: 100, ForecastCategoryName: 'Closed', IsClosed: true, IsWon: true },
			{ MasterLabel: 'Closed Lost', DefaultProbability: 0, ForecastCategoryName: 'Omitted', IsClosed: true },
		],
		CaseStatus: [
			{ MasterLabel: 'New', IsDefault: true },
			{ MasterLabel: 'Working' },
			{ MasterLabel: 'Escalated' },
			{ MasterLabel: 'Closed', IsClosed: true },
		],
		TaskStatus: [
			{ MasterLabel: 'Not Started', IsDefault: true },
			{ MasterLabel: 'In Progress' },
			{ MasterLabel: 'Completed', IsClosed: true },
			{ MasterLabel: 'Waiting on someone else' },
			{ MasterLabel: 'Deferred' },
		],
	};
}

/**
 * Normalises one status definition ({MasterLabel|ApiName|label|value, flags…}) into the full set
 * of documented fields of its status object, with defaults for missing flags.
 */
function statusRow(object, input, index) {
	const source = typeof input === 'string' ? { MasterLabel: input } : input;
	const label = source.MasterLabel ?? source.label ?? source.ApiName ?? source.value;
	if (typeof label !== 'string' || label === '') throw new Error(`setPicklist(${object}): value ${index} has no MasterLabel`);
	const row = { ApiName: source.ApiName ?? label, MasterLabel: label, SortOrder: source.SortOrder ?? index + 1 };
	if (object === 'OpportunityStage') {
		const isWon = Boolean(source.IsWon);
		const isClosed = Boolean(source.IsClosed) || isWon;
		const categoryName = source.ForecastCategoryName ?? (isWon ? 'Closed' : isClosed ? 'Omitted' : 'Pipeline');
		if (!FORECAST_CATEGORY[categoryName]) throw new Error(`setPicklist(OpportunityStage): unknown ForecastCategoryName ${categoryName}`);
		Object.assign(row, {
			DefaultProbability: source.DefaultProbability ?? (isWon ? 100 : isClosed ? 0 : null),
			Description: source.Description ?? null,
			ForecastCategory: FORECAST_CATEGORY[categoryName],
			ForecastCategoryName: categoryName,
			IsActive: source.IsActive !== false,
			IsClosed: isClosed,
			IsWon: isWon,
		});
	} else if (object === 'LeadStatus') {
		Object.assign(row, { IsConverted: Boolean(source.IsConverted), IsDefault: Boolean(source.IsDefault) });
	} else {
		Object.assign(row, { IsClosed: Boolean(source.IsClosed), IsDefault: Boolean(source.IsDefault) });
	}
	return row;
}

/** Field history tracking defaults: Case.Status is tracked (task brief). */
function fieldHistory() {
	return { 'Case.Status': true };
}

module.exports = { users, picklists, statusRow, fieldHistory, FORECAST_CATEGORY, SEED_TIME };
