// Creates (or reuses) the self-signed certificate the emulator's https table endpoint uses in tests and
// prints its directory and PEM path. The test harness trusts it for every test process through
// NODE_EXTRA_CA_CERTS, which Node reads only at start-up.
import { ensureSelfSignedCertificate } from '../src/emulator/dm/self-signed-cert.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: ensure-test-cert.ts <dir>');
const { certPath } = await ensureSelfSignedCertificate(dir);
process.stdout.write(JSON.stringify({ dir, certPath }) + '\n');
