// EspoCRM error responses → clear messages (X-Status-Reason, validation bodies, duplicates).
import { espoApiBase, espoSiteUrl, parseEspoError } from '../../nodes/shared/providers/espocrm/profile';

test('the API root from the site URL, whatever the user typed', () => {
	expect(espoApiBase('https://crm.example.com/')).toBe('https://crm.example.com/api/v1');
	expect(espoApiBase(' https://x.example/espo/api/v1/ ')).toBe('https://x.example/espo/api/v1');
	expect(espoSiteUrl('https://x.example/espo/API/V1')).toBe('https://x.example/espo');
});

test('validation failures name the field; the reason header is the message otherwise', () => {
	expect(
		parseEspoError(400, { messageTranslation: { label: 'validationFailure', scope: null, data: { field: 'closeDate', type: 'required' } } }, {
			'x-status-reason': 'Field validation failure; entityType: Opportunity, field: closeDate, type: required.',
		}),
	).toMatchObject({ message: 'EspoCRM rejected the value of "closeDate" (required)', field: 'closeDate', code: 'validationFailure', hint: 'EspoCRM requires "closeDate" on this record type.' });
	expect(parseEspoError(400, '', { 'X-Status-Reason': 'Bad JSON body.' })).toMatchObject({ message: 'Bad JSON body.' });
	expect(parseEspoError(500, '<h1>500 Internal Server Error</h1>', {})).toMatchObject({ message: '500 Internal Server Error', hint: expect.stringContaining('data/logs') });
});

test('409 duplicates list the records; 401 says what to check, 2FA included; 403 points at the role', () => {
	const duplicate = parseEspoError(409, JSON.stringify([{ id: 'a1', name: 'Acme' }]), { 'x-status-reason': 'duplicate' });
	expect(duplicate).toMatchObject({ code: 'duplicate', message: 'EspoCRM found a possible duplicate: "Acme" (a1)' });
	expect(parseEspoError(401, undefined, {})).toMatchObject({ message: expect.stringMatching(/^EspoCRM rejected the credentials: wrong API key/), hint: expect.stringContaining('API Users') });
	expect(parseEspoError(401, { status: 'secondStepRequired' }, { 'x-status-reason': 'second-step-required' }).hint).toMatch(/Two-factor/);
	expect(parseEspoError(403, undefined, { 'x-status-reason': 'No mass-update permission.' })).toMatchObject({ message: 'No mass-update permission.', hint: expect.stringContaining('Roles') });
	expect(parseEspoError(404, undefined, {})).toMatchObject({ message: 'Not found' });
	expect(parseEspoError(500, { id: 'e1', message: 'SMTP timeout' }, { 'x-status-reason': 'sendingFail' })).toMatchObject({ message: 'EspoCRM could not send the email: SMTP timeout' });
});
