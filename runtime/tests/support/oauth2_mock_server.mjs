// Starts the npm package oauth2-mock-server (installed by .ci/setup.sh into .ci/node_modules)
// on 127.0.0.1 at a port the OS picks, for runtime/tests/oauth_mock_server.rs.
// Usage: node oauth2_mock_server.mjs <path to .ci>
// Prints one JSON line per event on stdout: {"event":"listening",...} once, then
// {"event":"token",...} for every token response. Exits when stdin closes.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ciDir = process.argv[2];
const require = createRequire(join(ciDir, 'package.json'));
const { OAuth2Server } = await import(pathToFileURL(require.resolve('oauth2-mock-server')).href);

const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');
server.service.on('beforeResponse', (response, req) => {
  const body = req.body ?? {};
  console.log(JSON.stringify({
    event: 'token',
    status: response.statusCode,
    grant_type: body.grant_type ?? null,
    client_id: body.client_id ?? null,
    has_client_secret: typeof body.client_secret === 'string' && body.client_secret.length > 0,
    has_code_verifier: typeof body.code_verifier === 'string',
    scope: body.scope ?? null,
  }));
});
await server.start(0, '127.0.0.1');
console.log(JSON.stringify({
  event: 'listening',
  port: server.address().port,
  issuer: server.issuer.url,
}));
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
