'use strict';
/**
 * What every local vendor sandbox shares: an HTTP server on loopback, a controllable clock, a hook
 * called with each recorded request, a queue of injected faults (an answer, a delay or a dropped
 * socket for the next matching requests), and start/stop. Each sandbox (hubspot/, salesforce/,
 * espocrm/) extends it and implements `handle(req, res)`.
 */
const http = require('http');

class SandboxServer {
	constructor(options = {}) {
		this.host = options.host || '127.0.0.1';
		this.baseUrl = '';
		this.faults = [];
		this.clock = () => Date.now();
		this.requestHook = undefined;
		this.server = http.createServer((req, res) => this.handle(req, res));
	}

	setClock(fn) {
		this.clock = fn;
	}

	now() {
		return this.clock();
	}

	/** Called with each recorded request before it is answered (simulations write to the CRM here). */
	onRequest(fn) {
		this.requestHook = fn;
	}

	/** The next `times` (default 1) requests matching method and path prefix get this fault. */
	fault(spec) {
		this.faults.push({ times: 1, ...spec });
	}

	/** The fault for this request, if one matches (its count goes down; used up, it is removed). */
	takeFault(method, ...paths) {
		const index = this.faults.findIndex(
			(f) => (!f.method || f.method.toUpperCase() === method) && (!f.pathPrefix || paths.some((p) => p.startsWith(f.pathPrefix))),
		);
		if (index < 0) return undefined;
		const fault = this.faults[index];
		fault.times -= 1;
		if (fault.times <= 0) this.faults.splice(index, 1);
		return fault;
	}

	listen(port = 0) {
		return new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, this.host, () => {
				this.baseUrl = `http://${this.host}:${this.server.address().port}`;
				resolve(this);
			});
		});
	}

	stop() {
		return new Promise((resolve) => {
			this.server.close(() => resolve());
			if (this.server.closeAllConnections) this.server.closeAllConnections();
		});
	}
}

module.exports = { SandboxServer };
