import { checkOwnerIds } from '../../nodes/shared/engines/records';
import type { CrmProvider } from '../../nodes/shared/contract/provider';

// Owner ids are checked against the CRM's users; a provider may accept other forms of an id
// (Salesforce: an 18-character id's 15-character form), and the engine asks it, not the vendor name.
const users = [{ id: '005Hs00000ABCDEFGH', name: 'Ana', email: 'ana@example.com', active: true }];
const provider = (extra: Partial<CrmProvider>) => ({ displayName: 'Test CRM', listUsers: async () => users, ...extra }) as unknown as CrmProvider;
const items = (owner: string) => [{ ok: true as const, value: { ownerId: owner } }];

describe('checkOwnerIds', () => {
	it('accepts the other id forms the provider names', async () => {
		const forms = provider({ userIdForms: (id: string) => [id.slice(0, 15)] });
		const [result] = await checkOwnerIds(forms, items('005Hs00000ABCDE'), (v) => v.ownerId);
		expect(result.ok).toBe(true);
	});

	it('refuses a shortened id where the provider names no other forms, with valid ids', async () => {
		const [result] = await checkOwnerIds(provider({}), items('005Hs00000ABCDE'), (v) => v.ownerId);
		expect(result.ok).toBe(false);
		expect(!result.ok && result.error.message).toMatch(/is not the id of a Test CRM user/);
	});
});
