// tests/client/dates-in-zone.mjs: one call of the official client, printing
// what it made of a task's dates. test.mjs runs it in a child node whose TZ
// variable it chooses, because a JavaScript Date reads a date without a
// designator as local time in the process's own zone:
//
//   TZ=America/New_York SOMOCK_CLIENT_PREFIX=DIR \
//   node tests/client/dates-in-zone.mjs BASE ID [ZONE] [include]
//
// ZONE sets the client's `timezone` (SO-TimeZone), "include" its
// `timezoneInclude`. Prints one JSON object: the zone the process runs in,
// the dates as the server wrote them, and the Dates' milliseconds.

import { createRequire } from 'node:module';
import path from 'node:path';

const [base, id, zone, include] = process.argv.slice(2);
const prefix = path.resolve(process.env.SOMOCK_CLIENT_PREFIX || path.dirname(new URL(import.meta.url).pathname));
const { WebApi } = createRequire(path.join(prefix, 'package.json'))('@superoffice/webapi');

const api = new WebApi({ baseUrl: base, timezone: zone || undefined, timezoneInclude: include === 'include' });
api.authenticateWithPassword('tje0', 'Tje0');
let response;
const task = await api.getBatchAgent().getBatchTaskInfoAsync(Number(id), {
	responseCallback: (res) => { response = res; },
});
process.stdout.write(JSON.stringify({
	processZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
	sent: response.config.headers.get('SO-TimeZone') ?? null,
	wire: { LastStarted: response.data.LastStarted, Created: response.data.Created },
	lastStarted: task.lastStarted.getTime(),
	created: task.created.getTime(),
}));
