// Node's soap package (npm soap, pinned by package-lock.json) against
// somock's SOAP service, the client built from SuperOffice's own WSDL
// (tests/contract/Services88-Batch.wsdl) with its endpoint pointed at
// somock: all 15 operations, each answer compared with what REST/Agents
// answer the same user. Run with node's own test runner:
//
//   SOMOCK_BIN=build/server/somock SOMOCK_SOURCE_ROOT=. \
//   SOMOCK_SOAP_PREFIX=/path/with/node_modules \
//   node --test --test-reporter=tap tests/soap-client/test.mjs
//
// (tests/soap-client/run.sh installs the locked package into a cache and
// does that.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, stopServer } from '../somock-server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = process.env.SOMOCK_SOURCE_ROOT || path.resolve(HERE, '..', '..');
const PREFIX = path.resolve(process.env.SOMOCK_SOAP_PREFIX || HERE);
const BIN = process.env.SOMOCK_BIN;
const soap = createRequire(path.join(PREFIX, 'package.json'))('soap');

const NS = 'http://www.superoffice.net/ws/crm/NetServer/Services88';
const WSDL = path.join(ROOT, 'tests', 'contract', 'Services88-Batch.wsdl');
const demo = JSON.parse(readFileSync(path.join(ROOT, 'fixtures', 'demo.json'), 'utf8'));
const TICKET = demo.tickets.find((t) => t.AssociateId === 53 && t.Expires > '2030').Ticket;
const REST = { Authorization: `SOTicket ${TICKET}` };

let srv;
let client;
const called = new Set();

before(async () => {
	assert.ok(BIN, 'SOMOCK_BIN names the somock executable');
	srv = await startServer(BIN, ['--freeze-clock', '2030-01-02T03:04:05Z']);
	client = await soap.createClientAsync(WSDL, {
		endpoint: `${srv.base}/Remote/Services88/Batch.svc`,
	});
	client.addSoapHeader(`<Credentials xmlns="${NS}"><Ticket>${TICKET}</Ticket></Credentials>`);
});

after(async () => {
	const exit = await stopServer(srv);
	assert.equal(exit.code, 0, `somock exits 0 on SIGTERM; stderr:\n${srv.stderr}`);
});

async function call(op, args) {
	called.add(op);
	const [result, raw] = await client[`${op}Async`](args);
	return { result, raw };
}

async function agents(op, body, headers = {}) {
	const r = await fetch(`${srv.base}/api/v1/Agents/Batch/${op}`, {
		method: 'POST',
		headers: { ...REST, 'Content-Type': 'application/json', ...headers },
		body: JSON.stringify(body),
	});
	return r.status === 200 ? r.json() : r.status;
}

// node-soap gives one element as an object, several as an array
const list = (r) => {
	const items = r?.Response?.BatchTaskInfo;
	return items === undefined ? [] : Array.isArray(items) ? items : [items];
};

const READS = [
	['GetBatchTaskInfosByState', { State: 'Failed' }],
	['GetBatchTaskInfosByState', { State: 'All' }],
	['GetBatchTaskInfosByNameAndState', { Name: 'Mailing export', State: 'All' }],
	['GetAllBatchTaskInfosByName', { TaskName: '[SR_BATCH_REINDEX]' }],
	['GetAllBatchTaskInfosByNameAndState', { TaskName: 'Selection recalc', State: 'All' }],
	['GetSystemBatchTaskInfosByName', { TaskName: '[SR_BATCH_REINDEX]' }],
	['GetSystemBatchTaskInfosByNameAndState', { TaskName: '[SR_BATCH_REINDEX]', State: 'Succeeded' }],
	['GetBatchTaskInfosByAssociates', { AssociateIds: [53, 0] }],
	['GetBatchTaskInfosByAssociatesAndState', { AssociateIds: [53], State: 'Failed' }],
	['GetBatchTaskInfosByNameAndAssociates', { Name: '[SR_BATCH_MAILING]', AssociateIds: [53, 11] }],
];

// ArrayOfint as the schema has it: repeated <int> children
const soapArgs = (args) => Object.fromEntries(Object.entries(args).map(([k, v]) =>
	[k, Array.isArray(v) ? { int: v } : v]));

test('GetBatchTaskInfo: the REST carrier, member values alike', async () => {
	const { result } = await call('GetBatchTaskInfo', { Id: 105 });
	const rest = await agents('GetBatchTaskInfo', { Id: 105 });
	const got = result.Response;
	assert.equal(Number(got.Id), rest.Id);
	for (const k of ['Name', 'State', 'Result', 'CancellationBehaviour', 'Created']) {
		const want = rest[k];
		const have = got[k] instanceof Date ? got[k].toISOString() : got[k];
		if (k === 'Created') {
			assert.equal(new Date(have).getTime(), new Date(want).getTime(), k);
		} else {
			assert.equal(have ?? null, want, k);
		}
	}
	const none = await call('GetBatchTaskInfo', { Id: 3 });
	assert.equal(await agents('GetBatchTaskInfo', { Id: 3 }), null);
	assert.ok(none.result === null || none.result.Response === null ||
		none.result.Response === undefined || /i:nil="true"/.test(none.raw),
	'another tenant\'s task is nil');
});

for (const [op, args] of READS) {
	test(`${op}(${JSON.stringify(args)}): the REST list`, async () => {
		const { result } = await call(op, soapArgs(args));
		const rest = await agents(op, args);
		assert.deepEqual(list(result).map((x) => Number(x.Id)), rest.map((x) => x.Id));
		assert.deepEqual(list(result).map((x) => x.State), rest.map((x) => x.State));
	});
}

test('writes: start, update, stop, delete, delete many', async () => {
	const start = await call('StartBatchJob', { BatchTaskInfo: {
		Name: 'Node SOAP export', Description: 'from node', State: 'New',
		CancellationBehaviour: 'CanCancel',
	} });
	const id = Number(start.result.Response);
	assert.ok(id > 0, 'a new Id');
	const rest = await (await fetch(`${srv.base}/api/v1/BatchTask/${id}`, { headers: REST })).json();
	assert.equal(rest.Name, 'Node SOAP export');
	assert.equal(rest.AssociateId, 53);
	const upd = await call('UpdateBatchTask', { BatchTaskInfo: { Id: id, State: 'Started', Description: 'changed' } });
	assert.equal(upd.result.Response.State, 'Started');
	assert.equal(upd.result.Response.Description, 'changed');
	const stop = await call('StopBatchJob', { Id: id });
	assert.equal(stop.result.Response, true);
	await call('DeleteBatchTask', { BatchTaskId: id });
	assert.equal((await fetch(`${srv.base}/api/v1/BatchTask/${id}`, { headers: REST })).status, 404);
	const a = Number((await call('StartBatchJob', { BatchTaskInfo: { Name: 'n1' } })).result.Response);
	const b = Number((await call('StartBatchJob', { BatchTaskInfo: { Name: 'n2' } })).result.Response);
	await call('DeleteBatchTasks', { BatchTaskIds: { int: [a, b] } });
	for (const x of [a, b]) {
		assert.equal((await fetch(`${srv.base}/api/v1/BatchTask/${x}`, { headers: REST })).status, 404);
	}
});

test('a refused ticket: ExceptionInfo in the response header', async () => {
	const other = await soap.createClientAsync(WSDL, {
		endpoint: `${srv.base}/Remote/Services88/Batch.svc`,
	});
	other.addSoapHeader(`<Credentials xmlns="${NS}"><Ticket>7T:nobody</Ticket></Credentials>`);
	const [, raw, header] = await other.GetBatchTaskInfoAsync({ Id: 105 });
	assert.match(raw, /<ExceptionType>SoAuthenticationException<\/ExceptionType>/);
	assert.ok(header === undefined || header === null || typeof header === 'object');
});

test('all 15 operations were called', () => {
	assert.equal(called.size, 15, [...called].join(', '));
});
