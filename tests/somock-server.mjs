// tests/somock-server.mjs: start and stop real `somock serve` processes for
// the Node suites (tests/client, tests/browser), as the Python harness does
// for the integration tests: port 0, the listening line, SIGTERM to stop.
import { spawn } from 'node:child_process';

export const servers = [];

/**
 * Start `BIN serve --port 0 ARGS`. Resolves to {child, args, stderr,
 * exited, base} once the listening line is printed; rejects (with
 * err.exitCode) when the server exits first or prints nothing in 15 s.
 */
export function startServer(bin, args) {
	return new Promise((resolve, reject) => {
		const child = spawn(bin, ['serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
		const srv = { child, args, stderr: '', exited: null, base: null };
		servers.push(srv);
		let out = '';
		const timer = setTimeout(() => reject(new Error(
			`somock ${args.join(' ')} printed no listening line in 15 s; stderr:\n${srv.stderr}`)), 15000);
		child.stderr.on('data', (d) => { srv.stderr += d; });
		child.stdout.on('data', (d) => {
			out += d;
			const m = /^somock listening on (https?:\/\/\S+?)\/?\r?$/m.exec(out);
			if (m && !srv.base) {
				srv.base = m[1];
				clearTimeout(timer);
				resolve(srv);
			}
		});
		child.on('error', (e) => { clearTimeout(timer); reject(e); });
		child.on('exit', (code, sig) => {
			srv.exited = { code, sig };
			clearTimeout(timer);
			if (!srv.base) {
				const e = new Error(`somock ${args.join(' ')} exited (${code ?? sig}) before listening; stderr:\n${srv.stderr}`);
				e.exitCode = code;
				reject(e);
			}
		});
	});
}

/** SIGTERM, then SIGKILL after 10 s; resolves to the exit {code, sig}. */
export function stopServer(srv) {
	return new Promise((resolve) => {
		if (srv.exited) return resolve(srv.exited);
		const t = setTimeout(() => { srv.child.kill('SIGKILL'); }, 10000);
		srv.child.once('exit', (code, sig) => { clearTimeout(t); resolve({ code, sig }); });
		srv.child.kill('SIGTERM');
	});
}

process.on('exit', () => { for (const s of servers) if (!s.exited) s.child.kill('SIGKILL'); });
