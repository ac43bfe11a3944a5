// SuperOffice's official TypeScript client (@superoffice/webapi 12.4.1514)
// against somock. Run with node's own test runner:
//
//   SOMOCK_BIN=build/server/somock SOMOCK_SOURCE_ROOT=. \
//   SOMOCK_CLIENT_PREFIX=/path/with/node_modules \
//   node --test --test-reporter=tap tests/client/test.mjs
//
// (tests/client/run.sh installs the locked client into a cache and does that.)
//
// Environment:
//   SOMOCK_BIN            the somock executable (required)
//   SOMOCK_SOURCE_ROOT    repository root, for fixtures/*.json (default ../..)
//   SOMOCK_CLIENT_PREFIX  directory whose node_modules/ holds the client
//                         (default: this directory)
//
// The package's ESM build (dist/esm) uses extension-less relative imports and
// does not load in Node, so the CommonJS build is loaded with createRequire,
// as a Node integrator would.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { servers, startServer as startSomock, stopServer } from '../somock-server.mjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = process.env.SOMOCK_SOURCE_ROOT || path.resolve(HERE, '..', '..');
const PREFIX = path.resolve(process.env.SOMOCK_CLIENT_PREFIX || HERE);
const BIN = process.env.SOMOCK_BIN;
const CLIENT_VERSION = '12.4.1514';

const requireClient = createRequire(path.join(PREFIX, 'package.json'));
const so = requireClient('@superoffice/webapi');
const { WebApi, BatchTaskState, BatchTaskCancellationBehaviour, ETableRight, EFieldRight } = so;

const DEMO_PATH = path.join(ROOT, 'fixtures', 'demo.json');
const SAMPLE_PATH = path.join(ROOT, 'fixtures', 'doc-sample.json');
const demo = JSON.parse(readFileSync(DEMO_PATH, 'utf8'));

const STATES = ['Unknown', 'New', 'Aquired', 'Started', 'Succeeded', 'Failed',
	'SucceededManualCleanup', 'All'];
const FIELD_ORDER = ['Id', 'Name', 'AssociateId', 'DetailsTable', 'DetailsRecord',
	'IsSystemTask', 'IsInternalTask', 'ParameterObject', 'LastStarted', 'Created',
	'StartCount', 'DatabaseSerialNumber', 'Context', 'Result', 'State', 'Description',
	'Response', 'Request', 'ProgressDescription', 'ProgressPercent', 'FileName',
	'CancellationBehaviour', 'TableRight', 'FieldProperties'];
const STRING_FIELDS = ['Name', 'DatabaseSerialNumber', 'Context', 'Result', 'Description',
	'Response', 'Request', 'ProgressDescription', 'FileName'];
const ISO_TO_PREFIX = { en: 'US', nb: 'NO', no: 'NO', nn: 'NO', de: 'GE', sv: 'SW',
	da: 'DA', nl: 'NL', fr: 'FR', es: 'SP', it: 'IT', cs: 'CZ', fi: 'FI', pl: 'PL',
	ru: 'RU', ja: 'JP', zh: 'CN' };

// ---------------------------------------------------------------- fixture model

const assoc = (login) => {
	const a = demo.associates.find((x) => x.Name === login);
	assert.ok(a, `demo.json has associate ${login}`);
	return a;
};
const tenantOfId = (id) => demo.associates.find((a) => a.AssociateId === id)?.Tenant ?? null;
const ticketOf = (id, expired = false) => demo.tickets.find((t) => t.AssociateId === id
	&& (t.Expires !== null && Date.parse(t.Expires) < Date.now()) === expired).Ticket;
const tokenOf = (id, expired = false) => demo.tokens.find((t) => t.AssociateId === id
	&& (t.Expires !== null && Date.parse(t.Expires) < Date.now()) === expired).Token;
const APP_TOKEN = demo.apps[0].AppToken;

/** User tasks (no system task) of a tenant in a state, whoever owns them, ordered by Id. */
function expectedTasks(tenant, state, fixture = demo) {
	const tenantOf = (id) => fixture.associates?.find((a) => a.AssociateId === id)?.Tenant ?? null;
	return fixture.batchTasks
		.filter((t) => !t.IsSystemTask && tenantOf(t.AssociateId) === tenant
			&& (state === 'All' || t.State === state))
		.sort((a, b) => a.Id - b.Id);
}

// [SR_ID] from resources; US:"..";NO:".." to the language, then US, then first.
const ML_WHOLE = /^(?:[A-Z]{2}:"[^"]*";?)+$/;
function translate(value, prefix) {
	if (typeof value !== 'string') return value;
	const sr = /^\[(SR_[A-Za-z0-9_]+)\]$/.exec(value);
	if (sr) {
		const rows = demo.resources.filter((r) => r.Id === sr[1]);
		const hit = rows.find((r) => r.Language === prefix) ?? rows.find((r) => r.Language === 'US');
		return hit ? hit.Text : value;
	}
	if (ML_WHOLE.test(value)) {
		const parts = [...value.matchAll(/([A-Z]{2}):"([^"]*)"/g)].map((m) => [m[1], m[2]]);
		const hit = parts.find(([k]) => k === prefix) ?? parts.find(([k]) => k === 'US') ?? parts[0];
		return hit[1];
	}
	return value;
}
function translatedTask(t, iso) {
	const prefix = ISO_TO_PREFIX[iso];
	const out = { ...t };
	for (const f of STRING_FIELDS) out[f] = translate(t[f], prefix);
	return out;
}

// ---------------------------------------------------------------- dates

const DATE_RX = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,7}))?(Z|[+-]\d\d:\d\d)?$/;
/** Parse a fixture/response date; no designator means UTC. */
function instant(s) {
	const m = DATE_RX.exec(s);
	assert.ok(m, `date ${JSON.stringify(s)} has the SuperOffice shape`);
	const frac7 = (m[7] || '').padEnd(7, '0');
	const local = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) + Number(frac7.slice(0, 3));
	let off = 0;
	if (m[8] && m[8] !== 'Z') {
		off = (m[8][0] === '-' ? -1 : 1) * (Number(m[8].slice(1, 3)) * 60 + Number(m[8].slice(4, 6)));
	}
	return { ms: local - off * 60000, frac7 };
}
function lastSunday(y, month) { // month 1-12
	const last = new Date(Date.UTC(y, month, 0));
	return last.getUTCDate() - last.getUTCDay();
}
function nthSunday(y, month, n) {
	const first = new Date(Date.UTC(y, month - 1, 1)).getUTCDay();
	return 1 + ((7 - first) % 7) + 7 * (n - 1);
}
const ZONES = {
	UTC: () => 0,
	NO: (ms) => { // Europe/Oslo, EU rule
		const y = new Date(ms).getUTCFullYear();
		return ms >= Date.UTC(y, 2, lastSunday(y, 3), 1) && ms < Date.UTC(y, 9, lastSunday(y, 10), 1) ? 120 : 60;
	},
	'US-NY': (ms) => { // America/New_York, US rule since 2007
		const y = new Date(ms).getUTCFullYear();
		return ms >= Date.UTC(y, 2, nthSunday(y, 3, 2), 7) && ms < Date.UTC(y, 10, nthSunday(y, 11, 1), 6) ? -240 : -300;
	},
};
/** An instant rendered in a zone: seconds, fraction without trailing zeros, then Z or ±hh:mm. */
function render(inst, zone) {
	const off = ZONES[zone](inst.ms);
	const local = new Date(inst.ms + off * 60000).toISOString().slice(0, 19);
	const frac = inst.frac7.replace(/0+$/, '');
	const abs = Math.abs(off);
	const suffix = zone === 'UTC' ? 'Z'
		: `${off < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
	return local + (frac ? `.${frac}` : '') + suffix;
}

// ---------------------------------------------------------------- carriers

// DateTime.MinValue, a date never set (a new job's LastStarted), comes without
// designator in every zone (docs/timezones.md); the client's new Date() reads
// such a date in this process's own zone, so compare with what it makes of it.
const MIN_VALUE = '0001-01-01T00:00:00';
const clientDateMs = (s) => (s === MIN_VALUE ? new Date(s).getTime() : instant(s).ms);

function flags(enumObj, mask) {
	if (!mask) return null;
	let r;
	for (const s of mask.split(/,\s*/)) r |= enumObj[s];
	return r;
}
/**
 * Compare the carrier the client built with a REST-shaped object (a fixture
 * entry or a REST response element), field by field.
 */
function assertCarrier(c, raw, where, { rights = true } = {}) {
	assert.ok(c && typeof c === 'object', `${where}: carrier is an object`);
	const w = (f) => `${where} Id ${raw.Id} ${f}`;
	for (const [k, v] of Object.entries(c)) {
		assert.notStrictEqual(v, undefined, `${where} Id ${raw.Id}: client field ${k} is undefined (missing or unknown value)`);
	}
	assert.strictEqual(c.id, raw.Id, w('Id'));
	assert.strictEqual(c.name, raw.Name, w('Name'));
	assert.strictEqual(c.associateId, raw.AssociateId, w('AssociateId'));
	assert.strictEqual(c.detailsTable, raw.DetailsTable, w('DetailsTable'));
	assert.strictEqual(c.detailsRecord, raw.DetailsRecord, w('DetailsRecord'));
	assert.strictEqual(c.isSystemTask, raw.IsSystemTask, w('IsSystemTask'));
	assert.strictEqual(c.isInternalTask, raw.IsInternalTask, w('IsInternalTask'));
	assert.deepStrictEqual(c.parameterObject, raw.ParameterObject, w('ParameterObject'));
	assert.ok(c.lastStarted instanceof Date, w('LastStarted is a Date'));
	assert.strictEqual(c.lastStarted.getTime(), clientDateMs(raw.LastStarted), w('LastStarted'));
	assert.ok(c.created instanceof Date, w('Created is a Date'));
	assert.strictEqual(c.created.getTime(), clientDateMs(raw.Created), w('Created'));
	assert.strictEqual(c.startCount, raw.StartCount, w('StartCount'));
	assert.strictEqual(c.databaseSerialNumber, raw.DatabaseSerialNumber, w('DatabaseSerialNumber'));
	assert.strictEqual(c.context, raw.Context, w('Context'));
	assert.strictEqual(c.result, raw.Result, w('Result'));
	assert.strictEqual(c.state, BatchTaskState[raw.State], w('State'));
	assert.strictEqual(c.state, raw.State, w('State (string enum)'));
	assert.strictEqual(c.description, raw.Description, w('Description'));
	assert.strictEqual(c.response, raw.Response, w('Response'));
	assert.strictEqual(c.request, raw.Request, w('Request'));
	assert.strictEqual(c.progressDescription, raw.ProgressDescription, w('ProgressDescription'));
	assert.strictEqual(c.progressPercent, raw.ProgressPercent, w('ProgressPercent'));
	assert.strictEqual(c.fileName, raw.FileName, w('FileName'));
	assert.strictEqual(c.cancellationBehaviour, BatchTaskCancellationBehaviour[raw.CancellationBehaviour],
		w('CancellationBehaviour'));
	if (!rights) return;
	const tr = raw.TableRight ?? null;
	assert.deepStrictEqual(c.tableRight, tr && { mask: flags(ETableRight, tr.Mask), reason: tr.Reason },
		w('TableRight'));
	const fp = {};
	for (const [k, v] of Object.entries(raw.FieldProperties ?? {})) {
		fp[k] = v && {
			fieldRight: v.FieldRight && { mask: flags(EFieldRight, v.FieldRight.Mask), reason: v.FieldRight.Reason },
			fieldType: v.FieldType, fieldLength: v.FieldLength,
		};
	}
	assert.deepStrictEqual(c.fieldProperties, fp, w('FieldProperties'));
}
function assertCarriers(list, raws, where, opts) {
	assert.ok(Array.isArray(list), `${where}: client returned an array`);
	assert.deepStrictEqual(list.map((c) => c?.id), raws.map((r) => r.Id), `${where}: Ids (ordered by Id)`);
	list.forEach((c, i) => assertCarrier(c, raws[i], where, opts));
}

// ---------------------------------------------------------------- servers

const startServer = (args) => startSomock(BIN, args);

let onsite; // --mode onsite, server zone UTC
let online; // --mode online
let nyZone; // --timezone US-NY
let sample; // fixtures/doc-sample.json
let documented; // the same, --dates documented

before(async () => {
	assert.ok(BIN, 'SOMOCK_BIN names the somock executable');
	[onsite, online, nyZone, sample, documented] = await Promise.all([
		startServer(['--fixtures', DEMO_PATH]),
		startServer(['--fixtures', DEMO_PATH, '--mode', 'online']),
		startServer(['--fixtures', DEMO_PATH, '--timezone', 'US-NY']),
		startServer(['--fixtures', SAMPLE_PATH, '--timezone', 'NO']),
		startServer(['--fixtures', SAMPLE_PATH, '--timezone', 'NO', '--dates', 'documented']),
	]);
});
after(async () => { await Promise.all(servers.map(stopServer)); });

// ---------------------------------------------------------------- client helpers

/**
 * Configure the official client the way its README does:
 *   const api = new WebApi({ baseUrl, languageCode, cultureCode, timezone, timezoneInclude });
 *   api.authenticateWithPassword(user, pw) | authenticateWithTicket(t) | authenticateWithToken(t);
 *   api.applicationToken(appToken);   // online
 *   const agent = api.getBatchAgent();
 * WebApi keeps its options in a static; constructing a new WebApi resets them,
 * and the agent's axios instance is built here, before any await.
 */
function batchAgent(base, { auth, appToken, headers, ...options } = {}) {
	const api = new WebApi({ baseUrl: base, axiosConfig: { timeout: 60000, headers: { ...headers } }, ...options });
	if (auth?.password) api.authenticateWithPassword(auth.password[0], auth.password[1]);
	if (auth?.ticket) api.authenticateWithTicket(auth.ticket);
	if (auth?.token) api.authenticateWithToken(auth.token);
	if (appToken) api.applicationToken(appToken);
	return recordCalls(api.getBatchAgent());
}

/** The public BatchAgent methods the tests have called, so a last test can tell none was left out. */
const called = new Set();
function recordCalls(agent) {
	return new Proxy(agent, {
		get(target, prop, receiver) {
			const v = Reflect.get(target, prop, receiver);
			if (typeof v !== 'function' || typeof prop !== 'string' || !/^[a-z]\w*Async$/.test(prop)) return v;
			return (...args) => { called.add(prop); return v.apply(target, args); };
		},
	});
}
const basic = (u, p) => `Basic ${Buffer.from(`${u}:${p}`, 'utf8').toString('base64')}`;

/** The REST route with plain fetch: the same credentials and language/zone headers. */
async function rest(base, state, headers) {
	const res = await fetch(`${base}/api/v1/BatchTask/${state}`, { headers: { Accept: 'application/json', ...headers } });
	const text = await res.text();
	assert.strictEqual(res.status, 200, `GET ${state}: status 200, body ${text.slice(0, 300)}`);
	assert.match(res.headers.get('content-type') ?? '', /^application\/json; charset=utf-8$/i, `GET ${state}: Content-Type`);
	const body = JSON.parse(text);
	assert.ok(Array.isArray(body), `GET ${state}: array`);
	for (const item of body) {
		assert.deepStrictEqual(Object.keys(item), FIELD_ORDER, `GET ${state} Id ${item.Id}: field order`);
		for (const f of ['LastStarted', 'Created']) {
			assert.match(item[f], /(Z|[+-]\d\d:\d\d)$/, `GET ${state} Id ${item.Id}: ${f} carries an offset`);
		}
	}
	return { body, text, headers: res.headers };
}

/** Await a client call that must fail with the client's HTTP error. */
async function httpError(promise, status, where) {
	let err;
	try {
		const v = await promise;
		assert.fail(`${where}: expected HTTP ${status}, got a value: ${JSON.stringify(v)?.slice(0, 200)}`);
	} catch (e) {
		if (e instanceof assert.AssertionError) throw e;
		err = e;
	}
	assert.ok(!(err instanceof SyntaxError) && !(err instanceof TypeError),
		`${where}: a transport/HTTP error, not a parse failure (${err})`);
	assert.strictEqual(err.isAxiosError, true, `${where}: the client rejects with its AxiosError (${err})`);
	assert.strictEqual(err.name, 'AxiosError', `${where}: error name`);
	assert.strictEqual(err.code, 'ERR_BAD_REQUEST', `${where}: axios code for 4xx`);
	assert.ok(err.response, `${where}: the error carries the HTTP response`);
	assert.strictEqual(err.response.status, status, `${where}: HTTP status`);
	assert.strictEqual(err.status, status, `${where}: error.status`);
	return err;
}

// ---------------------------------------------------------------- tests

test('the installed client is @superoffice/webapi ' + CLIENT_VERSION, () => {
	const main = requireClient.resolve('@superoffice/webapi');
	const pkg = JSON.parse(readFileSync(path.join(main, '..', '..', '..', 'package.json'), 'utf8'));
	assert.strictEqual(pkg.name, '@superoffice/webapi');
	assert.strictEqual(pkg.version, CLIENT_VERSION);
	assert.deepStrictEqual(Object.keys(BatchTaskState), STATES, 'client BatchTaskState names = the states the route accepts');
});

test('demo fixture covers every state for tje0 and for each tenant', () => {
	for (const tenant of [null, 'Cust12345', 'Cust54321']) {
		for (const st of STATES) {
			assert.ok(expectedTasks(tenant, st).length > 0, `tenant ${tenant} has user tasks in ${st}`);
		}
	}
});

test('getBatchTaskInfosByStateAsync: every state, Basic (authenticateWithPassword), onsite', async () => {
	const agent = batchAgent(onsite.base, { auth: { password: ['tje0', 'Tje0'] } });
	for (const st of STATES) {
		const list = await agent.getBatchTaskInfosByStateAsync(BatchTaskState[st]);
		assertCarriers(list, expectedTasks(null, st), `ByState(${st}) vs fixture`);
	}
	// request-object overload sends the same body
	const list = await agent.getBatchTaskInfosByStateAsync({ state: BatchTaskState.Failed });
	assertCarriers(list, expectedTasks(null, 'Failed'), 'ByState({state:Failed})');
});

test('client carriers equal the REST answer field by field, every state', async () => {
	const agent = batchAgent(onsite.base, { auth: { password: ['tje0', 'Tje0'] } });
	for (const st of STATES) {
		const list = await agent.getBatchTaskInfosByStateAsync(st);
		const r = await rest(onsite.base, st, { Authorization: basic('tje0', 'Tje0') });
		assertCarriers(list, r.body, `ByState(${st}) vs GET /api/v1/BatchTask/${st}`);
	}
});

test('Agents route and REST route give the same body and headers (plain fetch)', async () => {
	const headers = { Authorization: basic('tje0', 'Tje0'), 'SO-Language': 'sv', 'SO-TimeZone': 'NO' };
	for (const st of STATES) {
		const r = await rest(onsite.base, st, headers);
		const res = await fetch(`${onsite.base}/api/v1/Agents/Batch/GetBatchTaskInfosByState`, {
			method: 'POST',
			headers: { ...headers, Accept: 'application/json', 'Content-Type': 'application/json' },
			body: JSON.stringify({ state: st }),
		});
		assert.strictEqual(res.status, 200, `POST ByState ${st}`);
		assert.strictEqual(await res.text(), r.text, `POST ByState ${st}: same JSON as GET`);
		for (const h of ['content-type', 'cache-control', 'pragma', 'expires', 'so-timezone', 'content-language']) {
			assert.strictEqual(res.headers.get(h), r.headers.get(h), `POST ByState ${st}: header ${h}`);
		}
	}
});

test('getBatchTaskInfoAsync: existing user task, system task, missing id -> null', async () => {
	const agent = batchAgent(onsite.base, { auth: { password: ['tje0', 'Tje0'] } });
	const user = expectedTasks(null, 'All')[3];
	assertCarrier(await agent.getBatchTaskInfoAsync(user.Id), user, 'ById(user task)');
	const sys = demo.batchTasks.find((t) => t.IsSystemTask);
	assertCarrier(await agent.getBatchTaskInfoAsync(sys.Id), sys, 'ById(system task)');
	assertCarrier(await agent.getBatchTaskInfoAsync({ id: user.Id }), user, 'ById({id})');
	const ids = new Set(demo.batchTasks.map((t) => t.Id));
	let missing = demo.batchTasks[0].Id;
	while (ids.has(missing)) missing += 1;
	assert.strictEqual(await agent.getBatchTaskInfoAsync(missing), null, `ById(${missing}) missing -> null`);
	assert.strictEqual(await agent.getBatchTaskInfoAsync(2147483647), null, 'ById(int32 max) -> null');
	const other = demo.batchTasks.find((t) => tenantOfId(t.AssociateId) === 'Cust12345');
	assert.strictEqual(await agent.getBatchTaskInfoAsync(other.Id), null,
		`ById(${other.Id}) of tenant Cust12345 is not visible onsite (only the caller's tenant) -> null`);
});

test('getBatchTaskInfoAsync equals GET /api/v1/BatchTask/{id}', async () => {
	const agent = batchAgent(onsite.base, { auth: { password: ['eva', assoc('eva').Password] }, timezone: 'NO' });
	for (const t of expectedTasks(null, 'All').slice(0, 5)) {
		const res = await fetch(`${onsite.base}/api/v1/BatchTask/${t.Id}`, {
			headers: { Authorization: basic('eva', assoc('eva').Password), 'SO-TimeZone': 'NO', Accept: 'application/json' },
		});
		assert.strictEqual(res.status, 200, `GET /BatchTask/${t.Id}`);
		const raw = await res.json();
		assertCarrier(await agent.getBatchTaskInfoAsync(t.Id), raw, `ById(${t.Id}) vs REST`);
	}
});

test('authenticateWithPassword: password with colon and space (Basic splits at the first colon)', async () => {
	const g = assoc('jgreen');
	const agent = batchAgent(onsite.base, { auth: { password: [g.Name, g.Password] } });
	assertCarriers(await agent.getBatchTaskInfosByStateAsync('Succeeded'), expectedTasks(null, 'Succeeded'), 'jgreen Basic');
});

test('wrong password surfaces as the client HTTP 401 error', async () => {
	const agent = batchAgent(onsite.base, { auth: { password: ['tje0', 'wrong'] } });
	const err = await httpError(agent.getBatchTaskInfosByStateAsync('All'), 401, 'wrong password');
	assert.match(err.response.headers['www-authenticate'] ?? '', /^Basic realm="SuperOffice"$/i, 'WWW-Authenticate onsite');
	assert.strictEqual(typeof err.response.data, 'object', '401 body is JSON the client parsed');
	assert.strictEqual(err.response.data.Error, true, '401 body: Error true');
	assert.strictEqual(typeof err.response.data.ErrorType, 'string', '401 body: ErrorType');
	assert.strictEqual(typeof err.response.data.Message, 'string', '401 body: Message');
	const unknown = batchAgent(onsite.base, { auth: { password: ['nobody', 'x'] } });
	await httpError(unknown.getBatchTaskInfoAsync(101), 401, 'unknown user (GetBatchTaskInfo)');
});

test('no credentials: 401 ArgumentException about X-XSRF-TOKEN', async () => {
	const agent = batchAgent(onsite.base);
	const err = await httpError(agent.getBatchTaskInfosByStateAsync('All'), 401, 'no credentials');
	assert.strictEqual(err.response.data.ErrorType, 'ArgumentException');
	assert.match(err.response.data.Message, /^X-XSRF-TOKEN HTTP header missing\./);
	assert.strictEqual(err.response.data.ErrorSource, 'SuperOffice.Services.WebApi');
});

test('session cookie + X-XSRF-TOKEN (what the client sends from a browser)', async () => {
	const s = demo.sessions.find((x) => x.AssociateId === 53);
	const agent = batchAgent(onsite.base, { headers: { Cookie: `ASP.NET_SessionId=${s.SessionId}`, 'X-XSRF-TOKEN': s.XsrfToken } });
	assertCarriers(await agent.getBatchTaskInfosByStateAsync('Started'), expectedTasks(null, 'Started'), 'session');
	const bad = batchAgent(onsite.base, { headers: { Cookie: `ASP.NET_SessionId=${s.SessionId}`, 'X-XSRF-TOKEN': 'nope' } });
	await httpError(bad.getBatchTaskInfosByStateAsync('Started'), 401, 'session with wrong XSRF token');
});

test('authenticateWithTicket (SOTicket), onsite', async () => {
	const agent = batchAgent(onsite.base, { auth: { ticket: ticketOf(53) } });
	assertCarriers(await agent.getBatchTaskInfosByStateAsync('New'), expectedTasks(null, 'New'), 'SOTicket onsite');
	const expired = batchAgent(onsite.base, { auth: { ticket: ticketOf(53, true) } });
	await httpError(expired.getBatchTaskInfosByStateAsync('New'), 401, 'expired ticket');
});

test('authenticateWithToken (Bearer), onsite', async () => {
	const agent = batchAgent(onsite.base, { auth: { token: tokenOf(53) } });
	assertCarriers(await agent.getBatchTaskInfosByStateAsync('Aquired'), expectedTasks(null, 'Aquired'), 'Bearer onsite');
	const expired = batchAgent(onsite.base, { auth: { token: tokenOf(53, true) } });
	await httpError(expired.getBatchTaskInfosByStateAsync('Aquired'), 401, 'expired token');
});

test('online: ticket + applicationToken (SO-AppToken) in tenant Cust12345', async () => {
	const k = assoc('kmueller');
	const base = `${online.base}/${k.Tenant}`;
	const agent = batchAgent(base, { auth: { ticket: ticketOf(k.AssociateId) }, appToken: APP_TOKEN });
	for (const st of STATES) {
		const list = await agent.getBatchTaskInfosByStateAsync(st);
		assertCarriers(list, expectedTasks(k.Tenant, st), `online ${k.Tenant} ByState(${st})`);
		const r = await rest(base, st, { Authorization: `SOTicket ${ticketOf(k.AssociateId)}`, 'SO-AppToken': APP_TOKEN });
		assertCarriers(list, r.body, `online ${k.Tenant} ByState(${st}) vs REST`);
	}
	const noApp = batchAgent(base, { auth: { ticket: ticketOf(k.AssociateId) } });
	const err = await httpError(noApp.getBatchTaskInfosByStateAsync('All'), 401, 'online ticket without SO-AppToken');
	assert.match(err.response.headers['www-authenticate'] ?? '', /^Bearer/i, 'WWW-Authenticate online');
	const badApp = batchAgent(base, { auth: { ticket: ticketOf(k.AssociateId) }, appToken: '0'.repeat(32) });
	await httpError(badApp.getBatchTaskInfosByStateAsync('All'), 401, 'online ticket with unknown SO-AppToken');
});

test('online: Bearer token in tenant Cust54321; wrong tenant and Basic refused', async () => {
	const m = assoc('mjensen');
	const base = `${online.base}/${m.Tenant}`;
	const agent = batchAgent(base, { auth: { token: tokenOf(m.AssociateId) } });
	for (const st of STATES) {
		assertCarriers(await agent.getBatchTaskInfosByStateAsync(st), expectedTasks(m.Tenant, st), `online ${m.Tenant} Bearer ByState(${st})`);
	}
	const own = expectedTasks(m.Tenant, 'All')[0];
	assertCarrier(await agent.getBatchTaskInfoAsync(own.Id), own, 'online ById');
	const wrongTenant = batchAgent(`${online.base}/Cust12345`, { auth: { token: tokenOf(m.AssociateId) } });
	await httpError(wrongTenant.getBatchTaskInfosByStateAsync('All'), 401, 'token of Cust54321 at /Cust12345');
	const expired = batchAgent(`${online.base}/Cust12345`, { auth: { token: tokenOf(assoc('asvensson').AssociateId, true) } });
	await httpError(expired.getBatchTaskInfosByStateAsync('All'), 401, 'expired token online');
	const pw = batchAgent(base, { auth: { password: [m.Name, m.Password] } });
	await httpError(pw.getBatchTaskInfosByStateAsync('All'), 401, 'Basic in online mode');
});

for (const iso of ['sv', 'nb', 'de', 'da', 'nl', 'fr', 'es', 'en']) {
	test(`languageCode '${iso}': [SR_…] and multi-language values come back translated`, async () => {
		const agent = batchAgent(onsite.base, { auth: { password: ['tje0', 'Tje0'] }, languageCode: iso });
		const want = expectedTasks(null, 'All').map((t) => translatedTask(t, iso));
		const list = await agent.getBatchTaskInfosByStateAsync('All');
		assertCarriers(list, want, `All in ${iso}`, { rights: false });
		const r = await rest(onsite.base, 'All', { Authorization: basic('tje0', 'Tje0'), 'SO-Language': iso });
		assert.ok(r.headers.get('content-language'), `Content-Language when ${iso} applied`);
		assertCarriers(list, r.body, `All in ${iso} vs REST`);
	});
}

// docs/languages.md: with a language in force, SO-Culture rewrites stand-alone
// ISO dates inside strings to the culture's short date (and decimals; dotted
// sequences such as "5.7.1" stay as they are).
const SHORT_DATE = {
	en: (y, m, d) => `${+m}/${+d}/${y}`, de: (y, m, d) => `${d}.${m}.${y}`,
	nl: (y, m, d) => `${+d}-${+m}-${y}`, sv: (y, m, d) => `${y}-${m}-${d}`,
};
for (const iso of Object.keys(SHORT_DATE)) {
	test(`cultureCode '${iso}' (with languageCode): dates inside strings, everything else as translated`, async () => {
		const agent = batchAgent(onsite.base, { auth: { password: ['tje0', 'Tje0'] }, languageCode: iso, cultureCode: iso });
		const list = await agent.getBatchTaskInfosByStateAsync('All');
		const r = await rest(onsite.base, 'All', { Authorization: basic('tje0', 'Tje0'), 'SO-Language': iso, 'SO-Culture': iso });
		assertCarriers(list, r.body, `All in ${iso}/${iso} vs REST`);
		const want = expectedTasks(null, 'All').map((t) => translatedTask(t, iso));
		list.forEach((c, i) => {
			const fx = want[i];
			assertCarrier(c, { ...fx, FileName: c.fileName }, `All in ${iso}/${iso} vs fixture`, { rights: false });
			const m = /^(export_|Rapport )(\d{4})-(\d\d)-(\d\d)(\.csv|\.pdf)$/.exec(fx.FileName ?? '');
			if (m) {
				assert.strictEqual(c.fileName, m[1] + SHORT_DATE[iso](m[2], m[3], m[4]) + m[5],
					`Id ${fx.Id} FileName ${fx.FileName} in culture ${iso}`);
			}
		});
		// a culture without a language is ignored
		const noLang = batchAgent(onsite.base, { auth: { password: ['tje0', 'Tje0'] }, cultureCode: iso });
		assertCarriers(await noLang.getBatchTaskInfosByStateAsync('All'), expectedTasks(null, 'All'),
			`SO-Culture ${iso} without language`);
	});
}

test('translation really happens: a known [SR_…] and a multi-language task', async () => {
	const all = expectedTasks(null, 'All');
	const sr = all.find((t) => /^\[SR_/.test(t.Name));
	const ml = all.find((t) => ML_WHOLE.test(t.Name ?? '') && /GE:"/.test(t.Name));
	assert.ok(sr && ml, 'fixture has both kinds among tje0-visible tasks');
	const de = batchAgent(onsite.base, { auth: { password: ['tje0', 'Tje0'] }, languageCode: 'de' });
	const srDe = demo.resources.find((r) => r.Id === sr.Name.slice(1, -1) && r.Language === 'GE').Text;
	assert.strictEqual((await de.getBatchTaskInfoAsync(sr.Id)).name, srDe, `${sr.Name} in German`);
	assert.strictEqual((await de.getBatchTaskInfoAsync(ml.Id)).name, /GE:"([^"]*)"/.exec(ml.Name)[1], 'multi-language in German');
	// per-request WebApiRequestOptions.languageCode (Accept-Language + SO-Language) overrides the agent's
	const fr = await de.getBatchTaskInfoAsync(sr.Id, { languageCode: 'fr' });
	assert.strictEqual(fr.name, translate(sr.Name, 'FR'), 'per-request languageCode fr');
	// no language: stored text
	const raw = batchAgent(onsite.base, { auth: { password: ['tje0', 'Tje0'] } });
	assert.strictEqual((await raw.getBatchTaskInfoAsync(sr.Id)).name, sr.Name, 'untranslated without language');
});

for (const zone of ['UTC', 'NO', 'US-NY']) {
	test(`timezone '${zone}' + timezoneInclude: dates are the fixture instants, rendered in ${zone}`, async () => {
		const agent = batchAgent(onsite.base, { auth: { password: ['tje0', 'Tje0'] }, timezone: zone, timezoneInclude: true });
		let seen;
		const list = await agent.getBatchTaskInfosByStateAsync('All', { responseCallback: (res) => { seen = res; } });
		const want = expectedTasks(null, 'All');
		assertCarriers(list, want, `All in zone ${zone}`);
		assert.ok(seen.headers['so-timezone'], 'SO-TimeZone response header');
		const r = await rest(onsite.base, 'All', { Authorization: basic('tje0', 'Tje0'), 'SO-TimeZone': `${zone},includeTZOffset` });
		r.body.forEach((item, i) => {
			for (const f of ['LastStarted', 'Created']) {
				assert.strictEqual(item[f], render(instant(want[i][f]), zone), `Id ${item.Id} ${f} in ${zone}`);
			}
		});
		assertCarriers(list, r.body, `All in zone ${zone} vs REST`);
	});
}

test('DST edges: instants on both sides of EU and US changes stay distinct and exact', async () => {
	const edges = ['2024-03-31T00:59:59.9999999Z', '2024-03-31T01:00:00Z', '2024-10-27T00:30:00Z',
		'2024-10-27T01:30:00Z', '2024-03-10T06:59:59.9999999Z', '2024-03-10T07:00:00Z',
		'2024-11-03T05:30:00Z', '2024-11-03T06:30:00Z'];
	const byInstant = new Map();
	for (const t of demo.batchTasks) byInstant.set(instant(t.LastStarted).ms, t);
	for (const zone of ['NO', 'US-NY']) {
		const headers = { 'SO-TimeZone': zone };
		for (const e of edges) {
			const inst = instant(e);
			const t = byInstant.get(inst.ms);
			assert.ok(t, `fixture has a task last started at ${e}`);
			const owner = demo.associates.find((a) => a.AssociateId === t.AssociateId);
			const tenant = owner?.Tenant;
			const auth = tenant ? { token: tokenOf(owner.AssociateId) } : { password: [owner.Name, owner.Password] };
			// tenant owners through the online server, onsite owners through the onsite one
			const base = tenant ? `${online.base}/${tenant}` : onsite.base;
			const agent = batchAgent(base, { auth, timezone: zone, timezoneInclude: true });
			const c = await agent.getBatchTaskInfoAsync(t.Id);
			assert.strictEqual(c.lastStarted.getTime(), inst.ms, `Id ${t.Id} ${e} via client in ${zone}`);
			const res = await fetch(`${base}/api/v1/BatchTask/${t.Id}`, {
				headers: { ...headers, Authorization: auth.token ? `Bearer ${auth.token}` : basic(owner.Name, owner.Password) },
			});
			assert.strictEqual(res.status, 200);
			assert.strictEqual((await res.json()).LastStarted, render(inst, zone), `Id ${t.Id} ${e} rendered in ${zone}`);
		}
	}
});

test('timezoneInclude alone uses the server zone (--timezone US-NY)', async () => {
	const agent = batchAgent(nyZone.base, { auth: { password: ['tje0', 'Tje0'] }, timezoneInclude: true });
	const list = await agent.getBatchTaskInfosByStateAsync('Failed');
	const want = expectedTasks(null, 'Failed');
	assertCarriers(list, want, 'server zone US-NY');
	const r = await rest(nyZone.base, 'Failed', { Authorization: basic('tje0', 'Tje0'), 'SO-TimeZone': 'includeTZOffset' });
	r.body.forEach((item, i) => assert.strictEqual(item.Created, render(instant(want[i].Created), 'US-NY'), `Id ${item.Id} Created`));
	const plain = await rest(nyZone.base, 'Failed', { Authorization: basic('tje0', 'Tje0') });
	assert.deepStrictEqual(plain.body, r.body, 'no SO-TimeZone header = server zone');
});

test('unknown time zone code is HTTP 400 through the client', async () => {
	const agent = batchAgent(onsite.base, { auth: { password: ['tje0', 'Tje0'] }, timezone: 'XX-NOWHERE', timezoneInclude: true });
	const err = await httpError(agent.getBatchTaskInfosByStateAsync('All'), 400, 'unknown SO-TimeZone');
	assert.strictEqual(err.response.data.Message, 'The request is invalid.');
});

test('seed page sample (fixtures/doc-sample.json) through the client, as the page requests it', async () => {
	const fx = JSON.parse(readFileSync(SAMPLE_PATH, 'utf8'));
	const agent = batchAgent(sample.base, { auth: { password: ['tje0', 'Tje0'] }, languageCode: 'sv' });
	const list = await agent.getBatchTaskInfosByStateAsync('All');
	assertCarriers(list, fx.batchTasks, 'doc sample');
	assert.strictEqual(list[0].state, BatchTaskState.All, 'State "All" maps to the client enum');
	const r = await rest(sample.base, 'All', { Authorization: 'Basic dGplMDpUamUw', 'Accept-Language': 'sv' });
	assert.strictEqual(r.body[0].LastStarted, '2020-01-22T17:54:08.6793184+01:00', 'page LastStarted (server zone NO)');
	assert.strictEqual(r.body[0].Created, '2016-10-29T17:54:08.6793184+02:00', 'page Created (server zone NO)');
	assertCarriers(list, r.body, 'doc sample vs REST');
});

/**
 * The client in a child node whose TZ is @tz (dates-in-zone.mjs): a Date
 * built from a date without designator depends on the process's own zone.
 */
async function datesInZone(tz, base, id, zone, include = false) {
	const args = [path.join(HERE, 'dates-in-zone.mjs'), base, String(id), zone ?? '', include ? 'include' : ''];
	const { stdout } = await promisify(execFile)(process.execPath, args,
		{ env: { ...process.env, TZ: tz, SOMOCK_CLIENT_PREFIX: PREFIX }, timeout: 30000 });
	const got = JSON.parse(stdout);
	assert.strictEqual(got.processZone, tz, `the child node runs in ${tz}`);
	return got;
}

test('--dates documented + SO-TimeZone: NO: the client reads the bare date as its own local time (TZ=America/New_York)', async () => {
	const fx = JSON.parse(readFileSync(SAMPLE_PATH, 'utf8')).batchTasks[0];
	const FIELDS = [['LastStarted', 'lastStarted'], ['Created', 'created']];
	const exact = (got, where) => {
		for (const [raw, f] of FIELDS) {
			assert.strictEqual(got[f], instant(fx[raw]).ms, `${where}: ${f} is the right instant`);
		}
	};
	const NY = 'America/New_York';
	// sample: "+01:00" names the instant, whatever zone the client runs in
	const inSample = await datesInZone(NY, sample.base, fx.Id, 'NO');
	assert.strictEqual(inSample.sent, 'NO', 'the client sends SO-TimeZone: NO');
	for (const [raw] of FIELDS) {
		assert.strictEqual(inSample.wire[raw], render(instant(fx[raw]), 'NO'), `sample: ${raw} with its offset`);
	}
	exact(inSample, `sample, client in ${NY}`);

	// documented: Oslo's wall clock without designator, which the client's
	// new Date() takes as New York's: late by Oslo's offset minus New York's
	const inDoc = await datesInZone(NY, documented.base, fx.Id, 'NO');
	for (const [raw, f] of FIELDS) {
		const ms = instant(fx[raw]).ms;
		assert.strictEqual(inDoc.wire[raw], render(instant(fx[raw]), 'NO').replace(/[+-]\d\d:\d\d$/, ''),
			`documented: ${raw} is Oslo's local time, no designator`);
		const skew = (ZONES.NO(ms) - ZONES['US-NY'](ms)) * 60000;
		assert.ok(skew > 0, `Oslo is ahead of New York at ${fx[raw]}`);
		assert.strictEqual(inDoc[f] - ms, skew,
			`documented, client in ${NY}: ${f} is off by the zones' difference (${skew / 3600000} h)`);
	}
	// it comes out right only where the client runs in the zone it asked for
	exact(await datesInZone('Europe/Oslo', documented.base, fx.Id, 'NO'), 'documented, client in Europe/Oslo');
	// includeTZOffset (the client's timezoneInclude) or no SO-TimeZone at all: a designator again
	const included = await datesInZone(NY, documented.base, fx.Id, 'NO', true);
	assert.strictEqual(included.sent, 'NO,includeTZOffset', 'timezoneInclude sends NO,includeTZOffset');
	exact(included, `documented + includeTZOffset, client in ${NY}`);
	exact(await datesInZone(NY, documented.base, fx.Id), `documented without SO-TimeZone, client in ${NY}`);
});

// ---------------------------------------------------------------- every BatchAgent method
//
// Each method is called through the client and its answer compared with
// what somock answers for the same data without the client: the Agents route
// with plain fetch (PascalCase body, as the vendor documents it), the REST
// route (GET /api/v1/BatchTask/{id}, or the {state} list), and the fixture.
// Writes run in sandboxes (X-Somock-Sandbox, which the client sends as one of
// its axiosConfig headers), so they never change what other tests read.

const TJE0 = { Authorization: basic('tje0', 'Tje0') };
const asciiLower = (s) => s.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
const byId = (a, b) => a.Id - b.Id;

/** A request with plain fetch: status, text, parsed JSON (undefined when empty), headers. */
async function call(base, method, urlPath, { headers = {}, body } = {}) {
	const init = { method, headers: { Accept: 'application/json', ...headers } };
	if (body !== undefined) {
		init.headers['Content-Type'] = 'application/json';
		init.body = JSON.stringify(body);
	}
	const res = await fetch(base + urlPath, init);
	const text = await res.text();
	return { status: res.status, text, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}
/** POST /api/v1/Agents/Batch/{op} with plain fetch; the parsed answer (200, or 204 = undefined). */
async function agentsPost(base, op, body, headers) {
	const r = await call(base, 'POST', `/api/v1/Agents/Batch/${op}`, { headers, body });
	assert.ok(r.status === 200 || r.status === 204, `POST Agents/Batch/${op}: status ${r.status}, body ${r.text.slice(0, 300)}`);
	return r.json;
}
/** GET /api/v1/BatchTask/{id}: the task, or null for a 404. */
async function restTask(base, id, headers) {
	const r = await call(base, 'GET', `/api/v1/BatchTask/${id}`, { headers });
	assert.ok(r.status === 200 || r.status === 404, `GET /BatchTask/${id}: status ${r.status}, body ${r.text.slice(0, 300)}`);
	if (r.status === 404) {
		assert.strictEqual(r.json.ErrorType, 'SoNotFoundException', `GET /BatchTask/${id}: 404 body`);
		return null;
	}
	return r.json;
}
/** A control API call (/__somock/...); the parsed answer. */
async function control(base, urlPath, body, headers = {}) {
	const r = await call(base, body === undefined ? 'GET' : 'POST', `/__somock/${urlPath}`, { headers, body });
	assert.strictEqual(r.status, 200, `/__somock/${urlPath}: ${r.text.slice(0, 300)}`);
	return r.json;
}

/** A sandbox name of its own for a test; dropped when the test ends (with its server, if that went first). */
let sandboxSeq = 0;
function sandboxFor(t, base, tag) {
	const name = `client-${tag}-${process.pid}-${++sandboxSeq}`;
	t.after(() => fetch(`${base}/__somock/sandboxes/${name}`, { method: 'DELETE' }).then((r) => r.text(), () => null));
	return name;
}

/**
 * The fixture's tasks of @tenant matching a search, ordered by Id: @kinds
 * 'user', 'system' or 'any'; names compare ASCII case-insensitively (SQL
 * Server's default collation); @associates the owners' ids.
 */
function findTasks({ tenant = null, kinds = 'any', state = 'All', name, associates } = {}) {
	return demo.batchTasks.filter((t) => tenantOfId(t.AssociateId) === tenant
		&& (kinds === 'any' || t.IsSystemTask === (kinds === 'system'))
		&& (state === 'All' || t.State === state)
		&& (name === undefined || (t.Name !== null && asciiLower(t.Name) === asciiLower(name)))
		&& (associates === undefined || associates.includes(t.AssociateId)))
		.sort(byId);
}

/**
 * One read through the client, checked three ways: the fixture (@want),
 * the same operation posted with plain fetch, and every task it returns
 * read again through GET /api/v1/BatchTask/{id}.
 */
async function checkRead({ agent, base, headers, method, args, op, body, want, where }) {
	const got = await agent[method](...args);
	assertCarriers(got, want, `${where} vs fixture`);
	assertCarriers(got, await agentsPost(base, op, body, headers), `${where} vs POST Agents/Batch/${op}`);
	for (const c of got) {
		assertCarrier(c, await restTask(base, c.id, headers), `${where} vs GET /BatchTask/${c.id}`);
	}
	return got;
}

/** User task names of several tasks each: plain, [SR_…] resource, multi-language. */
const userNames = () => {
	const names = [...new Set(findTasks({ kinds: 'user' }).map((t) => t.Name))]
		.filter((n) => n !== null && findTasks({ kinds: 'user', name: n }).length > 1);
	return [names.find((n) => /^[A-Z][a-z]/.test(n)), names.find((n) => /^\[SR_/.test(n)),
		names.find((n) => ML_WHOLE.test(n))];
};
const systemNames = () => [...new Set(findTasks({ kinds: 'system' }).map((t) => t.Name))].slice(0, 3);

test('the fixture gives every search something to find', () => {
	for (const n of userNames()) assert.ok(n && findTasks({ kinds: 'user', name: n }).length > 1, `user name ${n}`);
	for (const n of systemNames()) assert.ok(findTasks({ kinds: 'system', name: n }).length > 1, `system name ${n}`);
	assert.ok(findTasks({ associates: [53] }).length > 3, 'tje0 owns tasks');
	assert.ok(findTasks({ associates: [0] }).every((t) => t.IsSystemTask), 'associate 0 owns the system tasks');
});

test('getBatchTaskInfosByNameAndStateAsync: user tasks of a name, every state, vs Agents, REST and fixture', async () => {
	const agent = batchAgent(onsite.base, { auth: { password: ['tje0', 'Tje0'] } });
	for (const name of userNames()) {
		for (const st of STATES) {
			const got = await checkRead({ agent, base: onsite.base, headers: TJE0,
				method: 'getBatchTaskInfosByNameAndStateAsync', args: [name, st],
				op: 'GetBatchTaskInfosByNameAndState', body: { Name: name, State: st },
				want: findTasks({ kinds: 'user', name, state: st }), where: `ByNameAndState(${name}, ${st})` });
			// the REST list of that state holds exactly these under that name
			const r = await rest(onsite.base, st, TJE0);
			assertCarriers(got, r.body.filter((t) => t.Name === name), `ByNameAndState(${name}, ${st}) vs GET /BatchTask/${st}`);
		}
	}
	const [name] = userNames();
	const want = findTasks({ kinds: 'user', name });
	assertCarriers(await agent.getBatchTaskInfosByNameAndStateAsync(name.toUpperCase(), 'All'), want, 'name in upper case');
	assertCarriers(await agent.getBatchTaskInfosByNameAndStateAsync({ name, state: BatchTaskState.All }), want, 'request object');
	const sys = systemNames()[0];
	assert.deepStrictEqual(await agent.getBatchTaskInfosByNameAndStateAsync(sys, 'All'), [], `system name ${sys}: no user task`);
	assert.deepStrictEqual(await agent.getBatchTaskInfosByNameAndStateAsync('No such task', 'All'), [], 'unknown name');
});

test('getAllBatchTaskInfosByNameAsync / ...AndStateAsync: system and user tasks of a name', async () => {
	const agent = batchAgent(onsite.base, { auth: { password: ['tje0', 'Tje0'] } });
	for (const name of [...userNames(), ...systemNames()]) {
		await checkRead({ agent, base: onsite.base, headers: TJE0,
			method: 'getAllBatchTaskInfosByNameAsync', args: [name],
			op: 'GetAllBatchTaskInfosByName', body: { TaskName: name },
			want: findTasks({ name }), where: `AllByName(${name})` });
		for (const st of STATES) {
			await checkRead({ agent, base: onsite.base, headers: TJE0,
				method: 'getAllBatchTaskInfosByNameAndStateAsync', args: [name, st],
				op: 'GetAllBatchTaskInfosByNameAndState', body: { TaskName: name, State: st },
				want: findTasks({ name, state: st }), where: `AllByNameAndState(${name}, ${st})` });
		}
	}
	const name = systemNames()[0];
	assertCarriers(await agent.getAllBatchTaskInfosByNameAsync({ taskName: name }), findTasks({ name }), 'AllByName request object');
	assertCarriers(await agent.getAllBatchTaskInfosByNameAndStateAsync({ taskName: name.toLowerCase(), state: 'All' }),
		findTasks({ name }), 'AllByNameAndState request object, name in lower case');
	assert.deepStrictEqual(await agent.getAllBatchTaskInfosByNameAsync('No such task'), [], 'unknown name');
});

test('getSystemBatchTaskInfosByNameAsync / ...AndStateAsync: system tasks only', async () => {
	const agent = batchAgent(onsite.base, { auth: { password: ['tje0', 'Tje0'] } });
	for (const name of systemNames()) {
		await checkRead({ agent, base: onsite.base, headers: TJE0,
			method: 'getSystemBatchTaskInfosByNameAsync', args: [name],
			op: 'GetSystemBatchTaskInfosByName', body: { TaskName: name },
			want: findTasks({ kinds: 'system', name }), where: `SystemByName(${name})` });
		for (const st of STATES) {
			await checkRead({ agent, base: onsite.base, headers: TJE0,
				method: 'getSystemBatchTaskInfosByNameAndStateAsync', args: [name, st],
				op: 'GetSystemBatchTaskInfosByNameAndState', body: { TaskName: name, State: st },
				want: findTasks({ kinds: 'system', name, state: st }), where: `SystemByNameAndState(${name}, ${st})` });
		}
	}
	const user = userNames()[0];
	assert.deepStrictEqual(await agent.getSystemBatchTaskInfosByNameAsync(user), [], `user name ${user}: no system task`);
	const name = systemNames()[0];
	assertCarriers(await agent.getSystemBatchTaskInfosByNameAsync({ taskName: name }), findTasks({ kinds: 'system', name }), 'request object');
	assertCarriers(await agent.getSystemBatchTaskInfosByNameAndStateAsync({ taskName: name, state: 'All' }),
		findTasks({ kinds: 'system', name }), 'AndState request object');
});

test('a name held by system and user tasks: All has both, System and user searches one kind each', async (t) => {
	const box = sandboxFor(t, onsite.base, 'mixed');
	const headers = { ...TJE0, 'X-Somock-Sandbox': box };
	const sys = systemNames()[0];
	const user = userNames()[0];
	const top = Math.max(...demo.batchTasks.map((x) => x.Id));
	// a user task under a system task's name and a system task under a user task's name
	await control(onsite.base, 'fixtures', { batchTasks: [
		{ Id: top + 1, Name: sys, AssociateId: 53, State: 'Started' },
		{ Id: top + 2, Name: user, AssociateId: 0, IsSystemTask: true, State: 'Failed' },
	] }, { 'X-Somock-Sandbox': box });
	const agent = batchAgent(onsite.base, { auth: { password: ['tje0', 'Tje0'] }, headers: { 'X-Somock-Sandbox': box } });
	const ids = (list) => list.map((c) => c.id);
	const fx = (q) => findTasks(q).map((x) => x.Id);
	assert.deepStrictEqual(ids(await agent.getAllBatchTaskInfosByNameAsync(sys)), [...fx({ name: sys }), top + 1], `All ${sys}`);
	assert.deepStrictEqual(ids(await agent.getSystemBatchTaskInfosByNameAsync(sys)), fx({ kinds: 'system', name: sys }), `System ${sys}`);
	assert.deepStrictEqual(ids(await agent.getBatchTaskInfosByNameAndStateAsync(sys, 'All')), [top + 1], `user ${sys}`);
	assert.deepStrictEqual(ids(await agent.getAllBatchTaskInfosByNameAndStateAsync(user, 'Failed')),
		[...fx({ name: user, state: 'Failed' }), top + 2], `All ${user} Failed`);
	assert.deepStrictEqual(ids(await agent.getSystemBatchTaskInfosByNameAndStateAsync(user, 'Failed')), [top + 2], `System ${user} Failed`);
	assert.deepStrictEqual(ids(await agent.getBatchTaskInfosByNameAndStateAsync(user, 'All')), fx({ kinds: 'user', name: user }), `user ${user}`);
	for (const id of [top + 1, top + 2]) {
		assertCarrier(await agent.getBatchTaskInfoAsync(id), await restTask(onsite.base, id, headers), `loaded ${id} vs REST`);
	}
	// the default data has neither
	assert.strictEqual(await restTask(onsite.base, top + 1, TJE0), null, 'default data untouched');
});

test('getBatchTaskInfosByAssociatesAsync / ...AndStateAsync / ...NameAndAssociatesAsync: by owner', async () => {
	const agent = batchAgent(onsite.base, { auth: { password: ['tje0', 'Tje0'] } });
	// 21 belongs to tenant Cust12345: its tasks are not the onsite caller's
	const lists = [[53], [11, 12], [0], [53, 21], [77, 53, 11], [], [999999]];
	for (const associates of lists) {
		await checkRead({ agent, base: onsite.base, headers: TJE0,
			method: 'getBatchTaskInfosByAssociatesAsync', args: [associates],
			op: 'GetBatchTaskInfosByAssociates', body: { AssociateIds: associates },
			want: findTasks({ associates }), where: `ByAssociates(${associates})` });
		for (const st of STATES) {
			await checkRead({ agent, base: onsite.base, headers: TJE0,
				method: 'getBatchTaskInfosByAssociatesAndStateAsync', args: [associates, st],
				op: 'GetBatchTaskInfosByAssociatesAndState', body: { AssociateIds: associates, State: st },
				want: findTasks({ associates, state: st }), where: `ByAssociatesAndState(${associates}, ${st})` });
		}
		for (const name of [...userNames(), systemNames()[0]]) {
			await checkRead({ agent, base: onsite.base, headers: TJE0,
				method: 'getBatchTaskInfosByNameAndAssociatesAsync', args: [name, associates],
				op: 'GetBatchTaskInfosByNameAndAssociates', body: { Name: name, AssociateIds: associates },
				want: findTasks({ name, associates }), where: `ByNameAndAssociates(${name}, ${associates})` });
		}
	}
	assert.ok(findTasks({ associates: [0] }).length > 0 && findTasks({ associates: [21] }).length === 0,
		'system tasks are found by their owner 0; another tenant\'s owner finds nothing');
	// the REST list of a state, filtered by owner, is the same (user tasks)
	for (const st of STATES) {
		const got = await agent.getBatchTaskInfosByAssociatesAndStateAsync([53, 12], st);
		const r = await rest(onsite.base, st, TJE0);
		assertCarriers(got.filter((c) => !c.isSystemTask), r.body.filter((x) => [53, 12].includes(x.AssociateId)),
			`ByAssociatesAndState([53,12], ${st}) vs GET /BatchTask/${st}`);
	}
	assertCarriers(await agent.getBatchTaskInfosByAssociatesAsync({ associateIds: [53] }), findTasks({ associates: [53] }), 'request object');
	assertCarriers(await agent.getBatchTaskInfosByAssociatesAndStateAsync({ associateIds: [53], state: 'New' }),
		findTasks({ associates: [53], state: 'New' }), 'AndState request object');
	const name = userNames()[0];
	assertCarriers(await agent.getBatchTaskInfosByNameAndAssociatesAsync({ name, associateIds: [53, 11, 12] }),
		findTasks({ name, associates: [53, 11, 12] }), 'NameAndAssociates request object');
});

test('online: every search is scoped to the caller\'s tenant (ticket + SO-AppToken in Cust12345)', async () => {
	const k = assoc('kmueller');
	const base = `${online.base}/${k.Tenant}`;
	const headers = { Authorization: `SOTicket ${ticketOf(k.AssociateId)}`, 'SO-AppToken': APP_TOKEN };
	const agent = batchAgent(base, { auth: { ticket: ticketOf(k.AssociateId) }, appToken: APP_TOKEN });
	const tenant = k.Tenant;
	const everyone = demo.associates.map((a) => a.AssociateId).concat([0]);
	// a name tasks of other tenants have too
	const name = findTasks({ tenant }).map((x) => x.Name)
		.find((n) => findTasks({ name: n }).length > 0 && findTasks({ tenant: 'Cust54321', name: n }).length > 0);
	assert.ok(name, `${tenant} shares a task name with the other tenants`);
	const cases = [
		['getBatchTaskInfosByAssociatesAsync', [everyone], 'GetBatchTaskInfosByAssociates', { AssociateIds: everyone },
			findTasks({ tenant, associates: everyone })],
		['getBatchTaskInfosByAssociatesAndStateAsync', [everyone, 'Failed'], 'GetBatchTaskInfosByAssociatesAndState',
			{ AssociateIds: everyone, State: 'Failed' }, findTasks({ tenant, associates: everyone, state: 'Failed' })],
		['getBatchTaskInfosByNameAndAssociatesAsync', [name, everyone], 'GetBatchTaskInfosByNameAndAssociates',
			{ Name: name, AssociateIds: everyone }, findTasks({ tenant, name, associates: everyone })],
		['getAllBatchTaskInfosByNameAsync', [name], 'GetAllBatchTaskInfosByName', { TaskName: name }, findTasks({ tenant, name })],
		['getAllBatchTaskInfosByNameAndStateAsync', [name, 'All'], 'GetAllBatchTaskInfosByNameAndState',
			{ TaskName: name, State: 'All' }, findTasks({ tenant, name })],
		['getBatchTaskInfosByNameAndStateAsync', [name, 'All'], 'GetBatchTaskInfosByNameAndState',
			{ Name: name, State: 'All' }, findTasks({ tenant, name, kinds: 'user' })],
		['getSystemBatchTaskInfosByNameAsync', [systemNames()[0]], 'GetSystemBatchTaskInfosByName',
			{ TaskName: systemNames()[0] }, findTasks({ tenant, kinds: 'system', name: systemNames()[0] })],
		['getSystemBatchTaskInfosByNameAndStateAsync', [systemNames()[0], 'All'], 'GetSystemBatchTaskInfosByNameAndState',
			{ TaskName: systemNames()[0], State: 'All' }, findTasks({ tenant, kinds: 'system', name: systemNames()[0] })],
	];
	for (const [method, args, op, body, want] of cases) {
		const got = await checkRead({ agent, base, headers, method, args, op, body, want, where: `${tenant} ${method}` });
		assert.ok(got.every((c) => tenantOfId(c.associateId) === tenant), `${method}: only ${tenant}'s tasks`);
	}
	assert.ok(findTasks({ tenant, associates: everyone }).length > 0, `${tenant} has tasks to find`);
});

/** A carrier as the REST route and the vendor's documentation spell it: members in PascalCase. */
const pascal = (carrier) => Object.fromEntries(Object.entries(carrier).map(([k, v]) => [k[0].toUpperCase() + k.slice(1), v]));
const topId = () => Math.max(...demo.batchTasks.map((x) => x.Id));
/** tje0's client, Basic and REST headers, all on sandbox @box. */
function tje0In(base, box) {
	return {
		agent: batchAgent(base, { auth: { password: ['tje0', 'Tje0'] }, headers: { 'X-Somock-Sandbox': box } }),
		headers: { ...TJE0, 'X-Somock-Sandbox': box },
	};
}

test('startBatchJobAsync: a new Id, the job as REST reads it, the same as POST /api/v1/BatchTask', async (t) => {
	const base = onsite.base;
	const { agent, headers } = tje0In(base, sandboxFor(t, base, 'start'));
	const twin = { ...TJE0, 'X-Somock-Sandbox': sandboxFor(t, base, 'start-rest') };
	const job = {
		name: 'Partner export', description: 'Nightly export of open sales', context: 'PartnerApp',
		request: '{"format":"csv","limit":500}', response: null, fileName: 'open-sales.csv',
		detailsTable: 13, detailsRecord: 4711, parameterObject: { Format: 'csv', Limit: '500' },
		cancellationBehaviour: BatchTaskCancellationBehaviour.CancelWithWarning, isSystemTask: false,
		isInternalTask: false, databaseSerialNumber: null, result: null, progressDescription: 'Waiting',
		progressPercent: 0,
	};
	// members every new job gets from the server, whatever the carrier says
	const overruled = { id: 4242, associateId: 11, state: BatchTaskState.Succeeded, startCount: 7,
		created: new Date('2001-01-01T00:00:00Z'), lastStarted: new Date('2002-02-02T00:00:00Z') };
	const from = instant((await control(base, 'clock')).now).ms;
	const id = await agent.startBatchJobAsync({ ...job, ...overruled });
	const to = instant((await control(base, 'clock')).now).ms;
	assert.ok(Number.isInteger(id) && id > topId(), `a fresh Id above every fixture Id (${id})`);

	const raw = await restTask(base, id, headers);
	assert.ok(raw, `GET /BatchTask/${id} finds the new job`);
	const want = { Id: id, Name: job.name, AssociateId: 53, DetailsTable: 13, DetailsRecord: 4711,
		IsSystemTask: false, IsInternalTask: false, ParameterObject: job.parameterObject, LastStarted: MIN_VALUE,
		StartCount: 0, DatabaseSerialNumber: null, Context: job.context, Result: null, State: 'New',
		Description: job.description, Response: null, Request: job.request, ProgressDescription: 'Waiting',
		ProgressPercent: 0, FileName: job.fileName, CancellationBehaviour: 'CancelWithWarning' };
	for (const [k, v] of Object.entries(want)) assert.deepStrictEqual(raw[k], v, `REST ${k} of the new job`);
	const created = instant(raw.Created).ms;
	assert.ok(created >= from && created <= to, `Created ${raw.Created} is the mock clock's time of the start`);
	assertCarrier(await agent.getBatchTaskInfoAsync(id), raw, 'getBatchTaskInfoAsync(new job) vs REST');
	assert.ok((await agent.getBatchTaskInfosByStateAsync('New')).some((c) => c.id === id), 'listed among the New tasks');
	assert.deepStrictEqual((await agent.getBatchTaskInfosByAssociatesAndStateAsync([53], 'New')).map((c) => c.id),
		[...findTasks({ associates: [53], state: 'New' }).map((x) => x.Id), id], 'owned by the caller, 53');

	// the same carrier over REST in a twin sandbox: the same Id, the same task
	const r = await call(base, 'POST', '/api/v1/BatchTask', { headers: twin, body: pascal({ ...job, ...overruled }) });
	assert.strictEqual(r.status, 200, `POST /api/v1/BatchTask: ${r.text}`);
	assert.strictEqual(r.json, id, 'POST /api/v1/BatchTask answers the same Id');
	const viaRest = await restTask(base, id, twin);
	assert.deepStrictEqual({ ...viaRest, Created: null }, { ...raw, Created: null }, 'the same task, but for Created');

	// the request-object overload; the next start gets the next Id
	const id2 = await agent.startBatchJobAsync({ batchTaskInfo: { name: 'Partner export, part 2' } });
	assert.strictEqual(id2, id + 1, 'the next Id');
	const raw2 = await restTask(base, id2, headers);
	assert.strictEqual(raw2.Name, 'Partner export, part 2');
	assert.strictEqual(raw2.State, 'New');
	assertCarrier(await agent.getBatchTaskInfoAsync(id2), raw2, 'getBatchTaskInfoAsync(second job) vs REST');
	assert.strictEqual(await agentsPost(base, 'StartBatchJob', { BatchTaskInfo: { Name: 'Partner export, part 2' } }, twin),
		id2, 'the Agents route with plain fetch: the same Id');
	assert.strictEqual(await restTask(base, id, TJE0), null, 'the default data has no new job');
});

test('startBatchJobAsync with a carrier the client read back (its tableRight and fieldProperties as the client holds them)', async (t) => {
	const base = onsite.base;
	const { agent, headers } = tje0In(base, sandboxFor(t, base, 'start-copy'));
	const src = findTasks({ kinds: 'user' }).find((x) => x.TableRight && Object.keys(x.FieldProperties ?? {}).length);
	assert.ok(src, 'a fixture task with rights');
	// a partner's "run it again": read a job, start a copy of it
	const copy = await agent.getBatchTaskInfoAsync(src.Id);
	const failures = [];
	for (const [what, carrier] of [['tableRight', { ...copy, fieldProperties: {} }],
		['fieldProperties', { ...copy, tableRight: null }], ['both', copy]]) {
		try {
			const id = await agent.startBatchJobAsync(carrier);
			const raw = await restTask(base, id, headers);
			assert.strictEqual(raw?.Name, copy.name, `${what}: the copy's Name`);
			assert.deepStrictEqual(raw.ParameterObject, copy.parameterObject, `${what}: the copy's ParameterObject`);
			assert.strictEqual(raw.State, 'New', `${what}: New`);
		} catch (e) {
			if (e instanceof assert.AssertionError) throw e;
			failures.push(`${what}: HTTP ${e.response?.status} ${JSON.stringify(e.response?.data)}`);
		}
	}
	// one line: Meson's TAP reader stops at the blank lines of a multi-line diff
	assert.ok(failures.length === 0, `every copy starts; ${failures.join('; ')}`);
});

test('updateBatchTaskAsync: State, Description, Response, Request change, nothing else; as PUT /api/v1/BatchTask/{id}', async (t) => {
	const base = onsite.base;
	const { agent, headers } = tje0In(base, sandboxFor(t, base, 'update'));
	const twin = { ...TJE0, 'X-Somock-Sandbox': sandboxFor(t, base, 'update-rest') };
	const src = findTasks({ kinds: 'user', state: 'Started' })[0];
	const before = await restTask(base, src.Id, headers);
	// a partner reads the carrier, changes it, sends it back whole
	const read = await agent.getBatchTaskInfoAsync(src.Id);
	const changed = { ...read, state: BatchTaskState.Failed, description: 'Cancelled by the partner',
		response: '{"rows":0}', request: '{"retry":false}',
		name: 'Renamed', result: 'Changed', progressPercent: 99, startCount: 99, fileName: 'other.csv', associateId: 11 };
	const got = await agent.updateBatchTaskAsync(changed);
	const after = await restTask(base, src.Id, headers);
	assertCarrier(got, after, 'the answer is the task as REST reads it afterwards');
	assert.deepStrictEqual(after, { ...before, State: 'Failed', Description: changed.description,
		Response: changed.response, Request: changed.request }, 'only State, Description, Response and Request changed');
	assert.ok((await agent.getBatchTaskInfosByStateAsync('Failed')).some((c) => c.id === src.Id), 'now listed as Failed');
	assert.ok(!(await agent.getBatchTaskInfosByStateAsync('Started')).some((c) => c.id === src.Id), 'no longer Started');

	const r = await call(base, 'PUT', `/api/v1/BatchTask/${src.Id}`, { headers: twin, body: pascal(changed) });
	assert.strictEqual(r.status, 200, `PUT /api/v1/BatchTask/${src.Id}: ${r.text}`);
	assert.deepStrictEqual(r.json, after, 'PUT answers the same task');

	// the request-object overload with a partial carrier: the members it lacks keep their values
	const got2 = await agent.updateBatchTaskAsync({ batchTaskInfo: { id: src.Id, description: 'Second thoughts' } });
	const after2 = await restTask(base, src.Id, headers);
	assert.deepStrictEqual(after2, { ...after, Description: 'Second thoughts' }, 'only Description changed');
	assertCarrier(got2, after2, 'partial update vs REST');
	const got3 = await agent.updateBatchTaskAsync({ id: src.Id, response: null, state: BatchTaskState.Succeeded });
	assertCarrier(got3, { ...after2, Response: null, State: 'Succeeded' }, 'null clears Response; State by name');
	assertCarrier(got3, await restTask(base, src.Id, headers), 'second partial update vs REST');
	assert.deepStrictEqual(await agentsPost(base, 'UpdateBatchTask', { BatchTaskInfo: { Id: src.Id } }, headers),
		await restTask(base, src.Id, headers), 'the Agents route with plain fetch answers the task as REST reads it');

	// no such task: null from the Agents route, 404 from REST
	const missing = topId() + 1000;
	assert.strictEqual(await agent.updateBatchTaskAsync({ id: missing, description: 'x' }), null, 'missing Id -> null');
	assert.strictEqual((await call(base, 'PUT', `/api/v1/BatchTask/${missing}`, { headers, body: { Description: 'x' } })).status,
		404, 'PUT on a missing Id -> 404');
	const other = findTasks({ tenant: 'Cust12345' })[0];
	assert.strictEqual(await agent.updateBatchTaskAsync({ id: other.Id, description: 'x' }), null,
		'another tenant\'s task -> null');
	assert.deepStrictEqual(await restTask(base, src.Id, TJE0), before, 'the default data is as it was');
});

test('stopBatchJobAsync: true for a New, Aquired or Started task that can be cancelled; as POST /api/v1/BatchTask/{id}/Stop', async (t) => {
	const base = onsite.base;
	const { agent, headers } = tje0In(base, sandboxFor(t, base, 'stop'));
	const twin = { ...TJE0, 'X-Somock-Sandbox': sandboxFor(t, base, 'stop-rest') };
	const all = (await rest(base, 'All', headers)).body;
	// the first task of every state and cancellation behaviour
	const seen = new Set();
	const cases = all.filter((x) => !seen.has(x.State + x.CancellationBehaviour) && seen.add(x.State + x.CancellationBehaviour));
	assert.ok(cases.length >= 10, `${cases.length} combinations of state and cancellation behaviour`);
	let stopped = 0;
	for (const task of cases) {
		const where = `Stop(${task.Id}: ${task.State}, ${task.CancellationBehaviour})`;
		const stoppable = ['New', 'Aquired', 'Started'].includes(task.State) && task.CancellationBehaviour !== 'CannotCancel';
		const got = await agent.stopBatchJobAsync(task.Id);
		assert.strictEqual(got, stoppable, where);
		const r = await call(base, 'POST', `/api/v1/BatchTask/${task.Id}/Stop`, { headers: twin });
		assert.strictEqual(r.status, 200, `${where} REST: ${r.text}`);
		assert.strictEqual(r.json, got, `${where}: POST /api/v1/BatchTask/{id}/Stop answers the same`);
		const after = await restTask(base, task.Id, headers);
		assert.deepStrictEqual(after, stoppable ? { ...task, State: 'Failed', Result: 'Stopped' } : task, `${where}: the task afterwards`);
		assert.deepStrictEqual(await restTask(base, task.Id, twin), after, `${where}: the same over REST`);
		assertCarrier(await agent.getBatchTaskInfoAsync(task.Id), after, `${where} vs REST`);
		stopped += stoppable;
	}
	assert.ok(stopped >= 3 && stopped < cases.length, 'some stop, some do not');
	const first = cases.find((x) => x.State === 'Started' && x.CancellationBehaviour !== 'CannotCancel');
	assert.strictEqual(await agent.stopBatchJobAsync(first.Id), false, 'stopped already -> false');
	assert.strictEqual(await agent.stopBatchJobAsync({ id: topId() + 1000 }), false, 'missing Id (request object) -> false');
	const other = findTasks({ tenant: 'Cust12345', state: 'Started' })[0];
	assert.strictEqual(await agent.stopBatchJobAsync(other.Id), false, 'another tenant\'s task -> false');
	assert.strictEqual(await agentsPost(base, 'StopBatchJob', { Id: first.Id }, headers), false, 'the Agents route with plain fetch');
	assert.strictEqual((await restTask(base, first.Id, TJE0)).State, 'Started', 'the default data is as it was');
});

test('deleteBatchTaskAsync / deleteBatchTasksAsync: 204, then gone for REST and the client; as DELETE /api/v1/BatchTask/{id}', async (t) => {
	const base = onsite.base;
	const { agent, headers } = tje0In(base, sandboxFor(t, base, 'delete'));
	const twin = { ...TJE0, 'X-Somock-Sandbox': sandboxFor(t, base, 'delete-rest') };
	const all = (await rest(base, 'All', headers)).body;
	const [one, two, three] = all;
	const missing = topId() + 1000;
	let status;
	const statusOf = { responseCallback: (res) => { status = res.status; } };

	const v = await agent.deleteBatchTaskAsync(one.Id, statusOf);
	assert.strictEqual(status, 204, 'DeleteBatchTask answers 204');
	assert.ok(v === undefined || v === '', `resolves with no content (${JSON.stringify(v)})`);
	assert.strictEqual(await restTask(base, one.Id, headers), null, 'REST: 404 after the delete');
	assert.strictEqual(await agent.getBatchTaskInfoAsync(one.Id), null, 'client: null after the delete');

	status = undefined;
	await agent.deleteBatchTasksAsync([two.Id, three.Id, missing], statusOf);
	assert.strictEqual(status, 204, 'DeleteBatchTasks answers 204');
	for (const x of [two, three]) assert.strictEqual(await restTask(base, x.Id, headers), null, `REST: ${x.Id} gone`);
	const left = (await rest(base, 'All', headers)).body;
	assert.deepStrictEqual(left, all.slice(3), 'every other task is as it was');
	assertCarriers(await agent.getBatchTaskInfosByStateAsync('All'), left, 'the client\'s list vs REST');

	// the same over REST and the Agents route with plain fetch: the same tasks left
	assert.strictEqual((await call(base, 'DELETE', `/api/v1/BatchTask/${one.Id}`, { headers: twin })).status, 204, 'REST DELETE');
	assert.strictEqual(await agentsPost(base, 'DeleteBatchTasks', { BatchTaskIds: [two.Id, three.Id, missing] }, twin), undefined);
	assert.deepStrictEqual((await rest(base, 'All', twin)).body, left, 'the same tasks left');

	// deleting what is gone, or nothing, is no error
	status = undefined;
	await agent.deleteBatchTaskAsync({ batchTaskId: one.Id }, statusOf);
	assert.strictEqual(status, 204, 'again (request object): 204');
	status = undefined;
	await agent.deleteBatchTasksAsync({ batchTaskIds: [] }, statusOf);
	assert.strictEqual(status, 204, 'an empty list: 204');
	assert.ok(await restTask(base, one.Id, TJE0), 'the default data still has the task');
});

test('online: writes reach only the caller\'s tenant (kmueller of Cust12345, mjensen of Cust54321)', async (t) => {
	const box = sandboxFor(t, online.base, 'tenants');
	const k = assoc('kmueller');
	const m = assoc('mjensen');
	const sandbox = { 'X-Somock-Sandbox': box };
	const kAgent = batchAgent(`${online.base}/${k.Tenant}`, { auth: { token: tokenOf(k.AssociateId) }, headers: sandbox });
	const mBase = `${online.base}/${m.Tenant}`;
	const mHeaders = { Authorization: `Bearer ${tokenOf(m.AssociateId)}`, ...sandbox };
	const kHeaders = { Authorization: `Bearer ${tokenOf(k.AssociateId)}`, ...sandbox };
	const theirs = findTasks({ tenant: m.Tenant }).find((x) => x.State === 'Started' && x.CancellationBehaviour !== 'CannotCancel')
		?? findTasks({ tenant: m.Tenant })[0];
	const before = await restTask(mBase, theirs.Id, mHeaders);
	assert.ok(before, `${m.Name} sees ${theirs.Id}`);
	assert.strictEqual(await kAgent.getBatchTaskInfoAsync(theirs.Id), null, `${k.Name} does not`);
	assert.strictEqual(await kAgent.updateBatchTaskAsync({ id: theirs.Id, description: 'x', state: 'Failed' }), null, 'update -> null');
	assert.strictEqual(await kAgent.stopBatchJobAsync(theirs.Id), false, 'stop -> false');
	await kAgent.deleteBatchTaskAsync(theirs.Id);
	await kAgent.deleteBatchTasksAsync([theirs.Id]);
	assert.deepStrictEqual(await restTask(mBase, theirs.Id, mHeaders), before, `${m.Tenant}'s task is untouched`);
	const id = await kAgent.startBatchJobAsync({ name: 'Tenant job' });
	const raw = await restTask(`${online.base}/${k.Tenant}`, id, kHeaders);
	assert.strictEqual(raw?.AssociateId, k.AssociateId, `the new job is ${k.Name}'s`);
	assertCarrier(await kAgent.getBatchTaskInfoAsync(id), raw, 'new job vs REST in its tenant');
	assert.strictEqual(await restTask(mBase, id, mHeaders), null, `${m.Tenant} does not see it`);
});

// ---------------------------------------------------------------- end to end, with --simulate

const FINAL = ['Succeeded', 'Failed'];
/**
 * One tick of the task simulator (--simulate: server/ci/simulate.c,
 * docs/control-api.md) applied to one task, in its order. On tick @t (the
 * clock's time @at): a Started task's progress moves by 7 + Id % 9 when Id
 * + t is even, and at 100 % it ends, Failed when its Id is a multiple of 5,
 * else Succeeded; an Aquired task starts when Id + t is a multiple of 3; a
 * New one is picked up when Id + t is a multiple of 4. The outcome depends
 * on the Id alone, the time it takes on the Id and the tick it started on.
 */
function simulateTick(job, t, at) {
	const s = { ...job };
	if (s.state === 'Started' && (s.id + t) % 2 === 0) {
		s.progressPercent = Math.min(100, s.progressPercent + 7 + (s.id % 9));
		s.progressDescription = `Processing: ${s.progressPercent}% done`;
	}
	if (s.state === 'Started' && s.progressPercent >= 100) {
		const failed = s.id % 5 === 0;
		s.state = failed ? 'Failed' : 'Succeeded';
		s.progressDescription = failed ? 'Failed: the batch server stopped the task' : 'Done';
		s.result = failed ? 'Error' : 'OK';
		// (and a job started without a Response gets one: checked apart)
	}
	if (s.state === 'Aquired' && (s.id + t) % 3 === 0) {
		Object.assign(s, { state: 'Started', startCount: s.startCount + 1, lastStarted: at, progressPercent: 0,
			progressDescription: 'Starting' });
	}
	if (s.state === 'New' && (s.id + t) % 4 === 0) {
		Object.assign(s, { state: 'Aquired', progressDescription: 'Queued on the batch server' });
	}
	return s;
}
const modelOf = (c) => ({ id: c.id, state: c.state, progressPercent: c.progressPercent,
	progressDescription: c.progressDescription, result: c.result, startCount: c.startCount, lastStarted: c.lastStarted.getTime() });

/** A somock whose tasks move on its mock clock, frozen at start so only the test moves it. */
async function simulating(t) {
	const srv = await startServer(['--fixtures', DEMO_PATH, '--simulate', '--freeze-clock', '2030-01-01T00:00:00Z']);
	t.after(() => stopServer(srv));
	const clock = await control(srv.base, 'clock');
	assert.deepStrictEqual(clock, { now: '2030-01-01T00:00:00Z', frozen: true, ticks: 0 }, 'frozen at start, no tick yet');
	return srv;
}

test('end to end, as a partner writes it: start a job, poll it to its end while the mock clock moves, read it, delete it', async (t) => {
	const srv = await simulating(t);
	const base = srv.base;
	const { agent, headers } = tje0In(base, sandboxFor(t, base, 'e2e'));
	/** The batch server's time passes: one second of mock time. */
	const oneSecondLater = () => control(base, 'clock', { advanceSeconds: 1 });

	const id = await agent.startBatchJobAsync({
		name: 'Nightly export', description: 'Open sales to the data warehouse',
		request: '{"format":"csv","since":"2029-12-31"}', parameterObject: { Format: 'csv' },
		cancellationBehaviour: BatchTaskCancellationBehaviour.CanCancel,
	});
	// the simulator fails every task whose Id is a multiple of 5
	const outcome = id % 5 === 0 ? 'Failed' : 'Succeeded';

	let job = await agent.getBatchTaskInfoAsync(id);
	assert.strictEqual(job.state, BatchTaskState.New, 'a new job is New');
	let model = modelOf(job);
	const states = [job.state];
	let ticks = 0;
	while (!FINAL.includes(job.state)) {
		assert.ok(ticks < 600, `the job ends within 10 minutes of mock time (${job.state} after ${ticks} s)`);
		const clock = await oneSecondLater();
		assert.strictEqual(clock.ticks, ++ticks, 'one tick a second');
		model = simulateTick(model, clock.ticks - 1, Date.parse(clock.now));
		job = await agent.getBatchTaskInfoAsync(id);
		assert.deepStrictEqual(modelOf(job), model, `the job after tick ${clock.ticks - 1} (${clock.now})`);
		if (states.at(-1) !== job.state) states.push(job.state);
	}
	assert.deepStrictEqual(states, ['New', 'Aquired', 'Started', outcome], `Id ${id} went through every state to ${outcome}`);
	t.diagnostic(`job ${id}: ${states.join(' -> ')} in ${ticks} s of mock time`);
	assert.ok(ticks < 60, `done in under a minute of mock time (${ticks} s)`);
	assert.strictEqual(job.progressPercent, 100);
	assert.strictEqual(job.startCount, 1);
	assert.strictEqual(job.result, outcome === 'Succeeded' ? 'OK' : 'Error');
	// what the partner reads, as REST has it; the simulator writes Result,
	// ProgressDescription and, as the job was started without one, Response
	assertCarrier(job, await restTask(base, id, headers), 'the finished job vs REST');
	assert.deepStrictEqual(JSON.parse(job.response), outcome === 'Succeeded'
		? { Succeeded: true, TaskId: id }
		: { Succeeded: false, Message: 'the batch server stopped the task' }, 'Response');
	assert.strictEqual(job.request, '{"format":"csv","since":"2029-12-31"}', 'Request as sent');

	await agent.deleteBatchTaskAsync(id);
	assert.strictEqual(await agent.getBatchTaskInfoAsync(id), null, 'gone for the client');
	assert.strictEqual(await restTask(base, id, headers), null, 'gone for REST: 404');
	assert.ok(!(await agent.getBatchTaskInfosByStateAsync('All')).some((c) => c.id === id), 'not listed');
	const { code, sig } = await stopServer(srv);
	assert.deepStrictEqual({ code, sig }, { code: 0, sig: null }, 'somock --simulate exits 0 on SIGTERM');
});

test('end to end: five jobs at once, each ends as its Id says (one Failed), then all deleted in one call', async (t) => {
	const srv = await simulating(t);
	const base = srv.base;
	const { agent, headers } = tje0In(base, sandboxFor(t, base, 'e2e-five'));
	// consecutive Ids: exactly one is a multiple of 5
	const ids = [];
	for (let i = 0; i < 5; i++) ids.push(await agent.startBatchJobAsync({ name: `Export part ${i + 1}` }));
	assert.deepStrictEqual(ids, ids.map((_, i) => ids[0] + i), 'consecutive Ids');
	let models = await Promise.all(ids.map(async (id) => modelOf(await agent.getBatchTaskInfoAsync(id))));
	let jobs = [];
	for (let ticks = 0; ; ) {
		jobs = await Promise.all(ids.map((id) => agent.getBatchTaskInfoAsync(id)));
		assert.deepStrictEqual(jobs.map(modelOf), models, `the jobs after ${ticks} ticks`);
		if (jobs.every((j) => FINAL.includes(j.state))) break;
		assert.ok(ticks < 600, `the jobs end within 10 minutes of mock time (${jobs.map((j) => j.state)})`);
		const clock = await control(base, 'clock', { advanceSeconds: 1 });
		assert.strictEqual(clock.ticks, ++ticks, 'one tick a second');
		models = models.map((m) => simulateTick(m, clock.ticks - 1, Date.parse(clock.now)));
	}
	assert.deepStrictEqual(jobs.map((j) => j.state), ids.map((id) => (id % 5 === 0 ? 'Failed' : 'Succeeded')), 'each as its Id says');
	assert.strictEqual(jobs.filter((j) => j.state === 'Failed').length, 1, 'exactly one Failed');
	t.diagnostic(`jobs ${ids.join(', ')}: ${jobs.map((j) => j.state).join(', ')}`);
	for (const j of jobs) assertCarrier(j, await restTask(base, j.id, headers), `job ${j.id} vs REST`);
	assertCarriers(await agent.getBatchTaskInfosByAssociatesAndStateAsync([53], 'Failed').then((l) => l.filter((c) => ids.includes(c.id))),
		(await rest(base, 'Failed', headers)).body.filter((x) => ids.includes(x.Id)), 'the Failed one, by owner and state, vs REST');

	await agent.deleteBatchTasksAsync(ids);
	for (const id of ids) assert.strictEqual(await restTask(base, id, headers), null, `${id} gone for REST`);
	assert.deepStrictEqual((await agent.getBatchTaskInfosByAssociatesAsync([53])).filter((c) => ids.includes(c.id)), [], 'gone for the client');
});

// ---------------------------------------------------------------- coverage

/** BatchAgent's public methods in 12.4.1514 (the IBatchAgent interface). */
const BATCH_AGENT_METHODS = [
	'getBatchTaskInfoAsync', 'getBatchTaskInfosByStateAsync', 'getBatchTaskInfosByNameAndStateAsync',
	'getAllBatchTaskInfosByNameAsync', 'getAllBatchTaskInfosByNameAndStateAsync',
	'getSystemBatchTaskInfosByNameAsync', 'getSystemBatchTaskInfosByNameAndStateAsync',
	'getBatchTaskInfosByAssociatesAsync', 'getBatchTaskInfosByAssociatesAndStateAsync',
	'getBatchTaskInfosByNameAndAssociatesAsync',
	'startBatchJobAsync', 'updateBatchTaskAsync', 'stopBatchJobAsync', 'deleteBatchTaskAsync', 'deleteBatchTasksAsync',
];

test('every public BatchAgent method of the client has been called by the tests above', (t) => {
	if (process.execArgv.some((a) => /^--test-(name-pattern|skip-pattern|only)/.test(a))) {
		t.skip('only some tests ran');
		return;
	}
	const methods = Object.getOwnPropertyNames(so.BatchAgent.prototype).filter((n) => /^[a-z]\w*Async$/.test(n));
	assert.deepStrictEqual([...methods].sort(), [...BATCH_AGENT_METHODS].sort(),
		'the client\'s BatchAgent has the 15 methods these tests know');
	const missed = methods.filter((n) => !called.has(n));
	assert.ok(missed.length === 0, `not called: ${missed.join(', ')}`);
});

test('servers stop with exit 0 on SIGTERM', async () => {
	for (const srv of [nyZone, sample, documented]) {
		const { code, sig } = await stopServer(srv);
		assert.strictEqual(sig, null, `somock ${srv.args.join(' ')} exited by itself, not by signal ${sig}`);
		assert.strictEqual(code, 0, `somock ${srv.args.join(' ')} exit code`);
	}
});
