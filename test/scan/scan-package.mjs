// n8n's community-package scanner (the gate for verified community nodes) on this package as it
// would be published: `npm pack` the built package, unpack the tarball, `analyzePackage` on it.
// Prints the scanner's findings and exits non-zero on any. Run after `npm run build`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzePackage } from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-scan-'));
try {
	const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
	const unpacked = path.join(work, 'package');
	execFileSync('tar', ['-xzf', path.join(work, tarball), '-C', work]);
	const files = execFileSync('find', [unpacked, '-type', 'f'], { encoding: 'utf8' }).trim().split('\n').length;
	const result = await analyzePackage(unpacked);
	if (!result.passed) {
		console.error(result.details || result.message);
		console.error(`n8n community-package scan of ${tarball}: FAILED (${result.message})`);
		process.exitCode = 1;
	} else {
		console.log(`n8n community-package scan of ${tarball} (${files} files): 0 findings`);
	}
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
