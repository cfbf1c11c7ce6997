// A local OpenID Connect provider (the certified npm `oidc-provider`) for `make run` and the
// tests: authorization code with PKCE, signed ID tokens, JWKS, RP-initiated logout.
//
// Two clients: the back office ("staff", like an organisation's Entra ID or Keycloak) and a
// "DigiD broker" for residents. Whoever signs in picks a made-up identity on a plain page
// (identities.js); the tests post that page's form with plain HTTP, the browser test clicks.
//
//   node server.js --port 8010 [--issuer URL] --app-url http://localhost:8000 [--app-url …]
//                  [--test-controls]
//
// Client ids and secrets: OIDC_DEMO_STAFF_CLIENT_ID/SECRET, OIDC_DEMO_DIGID_CLIENT_ID/SECRET
// (demo defaults). --test-controls adds POST /__test__/mode, which makes the provider
// misbehave on request (a slow token endpoint, a tampered or foreign-signed ID token, a clock
// that jumped ahead): only the tests start it that way.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

import { ALL, DIGID_MIDDEN, MFA_ACR, PASSWORD_ACR, RESIDENTS, STAFF } from './identities.js';
import { interactionPage, logoutPage, loggedOutPage } from './pages.js';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.OIDC_DEMO_PORT || '8010' },
    issuer: { type: 'string' },
    'app-url': { type: 'string', multiple: true, default: [] },
    'test-controls': { type: 'boolean', default: false },
  },
});
const port = Number(args.port);
const issuer = args.issuer || `http://127.0.0.1:${port}`;
const appUrls = args['app-url'].length ? [...new Set(args['app-url'])] : ['http://localhost:8000'];

const STAFF_CLIENT = {
  id: process.env.OIDC_DEMO_STAFF_CLIENT_ID || 'mantelzorg-backoffice',
  secret: process.env.OIDC_DEMO_STAFF_CLIENT_SECRET || 'demo-backoffice-secret',
};
const DIGID_CLIENT = {
  id: process.env.OIDC_DEMO_DIGID_CLIENT_ID || 'mantelzorg-digid',
  secret: process.env.OIDC_DEMO_DIGID_CLIENT_SECRET || 'demo-digid-secret',
};

function signingKey(kid) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
}
function publicPart({ kty, n, e, kid, use, alg }) {
  return { kty, n, e, kid, use, alg };
}
// Fresh keys at every start: nothing secret is committed. The "foreign" key never signs;
// with --test-controls the JWKS can be swapped for it, so the app sees tokens signed by a
// key it cannot find.
const realKey = signingKey(`demo-${randomBytes(4).toString('hex')}`);
const foreignKey = signingKey(`foreign-${randomBytes(4).toString('hex')}`);

const clientFor = ({ id, secret }, callbackPath, logoutPaths) => ({
  client_id: id,
  client_secret: secret,
  redirect_uris: appUrls.map((url) => url + callbackPath),
  post_logout_redirect_uris: appUrls.flatMap((url) => logoutPaths.map((path) => url + path)),
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_post',
});

const configuration = {
  clients: [
    clientFor(STAFF_CLIENT, '/backoffice/inloggen/organisatie/terug', ['/backoffice/inloggen/']),
    clientFor(DIGID_CLIENT, '/mijn-gegevens/digid/terug', ['/', '/mijn-gegevens/digid/uitgelogd']),
  ],
  jwks: { keys: [realKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  // PKCE (S256) for every client, also the confidential ones.
  pkce: { required: () => true },
  claims: {
    // acr/amr/auth_time: how the person signed in (the app checks the second factor).
    openid: ['sub', 'acr', 'amr', 'auth_time'],
    profile: ['name', 'given_name', 'family_name'],
    email: ['email'],
    groups: ['groups'],
    bsn: ['bsn'],
    machtigen: ['representee_bsn'],
  },
  // The claims of the requested scopes go into the ID token itself, as Entra ID and the
  // DigiD brokers do, so the app needs no userinfo call.
  conformIdTokenClaims: false,
  acrValues: [MFA_ACR, PASSWORD_ACR, DIGID_MIDDEN],
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true, logoutSource: logoutPage, postLogoutSuccessSource: loggedOutPage },
  },
  ttl: {
    AuthorizationCode: 60,
    IdToken: 300,
    AccessToken: 300,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
  },
  async findAccount(_ctx, sub) {
    const person = ALL[sub];
    if (!person) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...person.claims }) };
  },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = `<!doctype html><html lang="nl"><title>Fout</title><h1>Er ging iets mis</h1>
      <p>${escapeHtml(out.error)}: ${escapeHtml(out.error_description || '')}</p></html>`;
  },
};

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const provider = new Provider(issuer, configuration);
provider.proxy = true;

// --- misbehaviour on request (tests only) ---------------------------------------------------
const mode = { slowTokenMs: 0, foreignJwks: false, tamperClaim: null, clockAheadSeconds: 0 };
const realNow = Date.now;
Date.now = () => realNow() + mode.clockAheadSeconds * 1000;

function tamperedIdToken(idToken, claim) {
  const [header, payload, signature] = idToken.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  claims[claim] = claim === 'groups' ? ['mantelzorg-coordinatoren'] : `${claims[claim]}-x`;
  return [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
}

async function readJson(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body ? JSON.parse(body) : {};
}

if (args['test-controls']) {
  provider.use(async (ctx, next) => {
    if (ctx.path === '/__test__/mode' && ctx.method === 'POST') {
      const wanted = await readJson(ctx.req);
      Object.assign(mode, { slowTokenMs: 0, foreignJwks: false, tamperClaim: null,
        clockAheadSeconds: 0 }, wanted);
      ctx.body = mode;
      return;
    }
    if (ctx.path === '/token' && mode.slowTokenMs) {
      await new Promise((resolve) => { setTimeout(resolve, mode.slowTokenMs); });
    }
    await next();
    if (ctx.path === '/jwks' && mode.foreignJwks) {
      ctx.body = { keys: [publicPart(foreignKey)] };
    }
    if (ctx.path === '/token' && mode.tamperClaim && ctx.body && ctx.body.id_token) {
      ctx.body = { ...ctx.body, id_token: tamperedIdToken(ctx.body.id_token, mode.tamperClaim) };
    }
  });
}

// --- the page where one picks a made-up identity (or cancels) ------------------------------
async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([\w-]+)(\/(login|abort))?$/);
  if (!match) {
    await next();
    return;
  }
  const { req, res } = ctx;
  const details = await provider.interactionDetails(req, res);
  const isStaff = details.params.client_id === STAFF_CLIENT.id;
  const people = isStaff ? STAFF : RESIDENTS;
  if (match[3] === 'abort' && ctx.method === 'POST') {
    ctx.respond = false;
    await provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'De gebruiker heeft het inloggen afgebroken.',
    }, { mergeWithLastSubmission: false });
    return;
  }
  if (match[3] === 'login' && ctx.method === 'POST') {
    const { identity } = await readForm(req);
    const person = people[identity];
    if (!person) {
      ctx.status = 400;
      ctx.body = 'Onbekende identiteit';
      return;
    }
    const grant = new provider.Grant({ accountId: identity, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const grantId = await grant.save();
    ctx.respond = false;
    await provider.interactionFinished(req, res, {
      login: { accountId: identity, acr: person.acr, amr: person.amr, remember: false },
      consent: { grantId },
    }, { mergeWithLastSubmission: false });
    return;
  }
  ctx.type = 'html';
  ctx.body = interactionPage({ uid: details.uid, isStaff, people });
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`READY ${issuer}`);
});
