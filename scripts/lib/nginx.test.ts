import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { connectionLimits, findNginx, renderTemplate, writeNginxConfig } from "./nginx";

// The proxy config (deploy/nginx/*.conf.template, ADR 0023): filled in as start:cluster fills it
// in, and accepted by the nginx on this machine (`nginx -t`) when there is one.

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describe("renderTemplate", () => {
  it("fills in our placeholders and leaves nginx's own variables alone", () => {
    expect(renderTemplate("listen ${TAIYAKU_LISTEN}; set $x $remote_addr;", { TAIYAKU_LISTEN: "8080" })).toBe("listen 8080; set $x $remote_addr;");
  });

  it("refuses a placeholder without a value instead of writing a broken config", () => {
    expect(() => renderTemplate("proxy_cache_path ${TAIYAKU_CACHE_DIR};", {})).toThrow(/TAIYAKU_CACHE_DIR/);
  });
});

describe("the generated config", () => {
  it("has the proxy rules the cluster relies on, and nginx accepts it", async () => {
    const runtimeDir = fs.mkdtempSync(path.join(os.tmpdir(), "taiyaku-nginx-test-"));
    dirs.push(runtimeDir);
    const configFile = await writeNginxConfig({ port: 3459, upstreams: ["127.0.0.1:3457", "127.0.0.1:3458"], runtimeDir });
    const site = fs.readFileSync(path.join(runtimeDir, "taiyaku.conf"), "utf8");
    expect(site).toContain("server 127.0.0.1:3457 max_fails=1 fail_timeout=2s;");
    expect(site).toContain("server 127.0.0.1:3458 max_fails=1 fail_timeout=2s;");
    // Overwritten with the peer address, never appended ($proxy_add_x_forwarded_for).
    expect(site).toMatch(/proxy_set_header X-Forwarded-For \$remote_addr;/);
    expect(site).not.toContain("$proxy_add_x_forwarded_for");
    expect(site).toMatch(/proxy_set_header X-Request-Id \$request_id;/);
    expect(site).toMatch(/location ~ \^\/api\/articles\/\[\^\/\]\+\/events\$ \{[^}]*proxy_buffering off;/);
    expect(site).toMatch(/location \/_next\/static\/ \{[^}]*proxy_cache taiyaku_static;[^}]*immutable/);
    expect(site).toMatch(/proxy_next_upstream error timeout;/);
    expect(site).toMatch(/gzip on;/);
    // nginx compresses; the instances get no Accept-Encoding (Node's gzip costs their one core).
    expect(site).toMatch(/proxy_set_header Accept-Encoding "";/);
    expect(site).not.toMatch(/\$\{TAIYAKU_[A-Z_]+\}/);
    // Nothing outside the runtime folder is written (works as any user).
    const main = fs.readFileSync(configFile, "utf8");
    for (const line of main.split("\n").filter((l) => /_path |^pid |^error_log /.test(l.trim()))) expect(line).toContain(runtimeDir);

    const nginx = findNginx();
    if (!nginx) return; // Checked where nginx is installed (CI installs it: .ci/run).
    const test = spawnSync(nginx, ["-p", runtimeDir, "-e", path.join(runtimeDir, "error.log"), "-c", configFile, "-t"], { encoding: "utf8" });
    expect(test.status, test.stderr).toBe(0);
  });
});

describe("connectionLimits", () => {
  const limits = (hard: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "taiyaku-limits-"));
    dirs.push(dir);
    const file = path.join(dir, "limits");
    fs.writeFileSync(file, `Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 ${hard}                files\n`);
    return connectionLimits(file);
  };

  it("sizes nginx from the hard open-file limit, not the usual soft 1,024 (about 500 live readers)", () => {
    expect(limits("20000")).toEqual({ TAIYAKU_WORKER_RLIMIT_NOFILE: "20000", TAIYAKU_WORKER_CONNECTIONS: "15000" });
    expect(limits("1048576")).toEqual({ TAIYAKU_WORKER_RLIMIT_NOFILE: "65536", TAIYAKU_WORKER_CONNECTIONS: "49152" });
    expect(limits("unlimited").TAIYAKU_WORKER_RLIMIT_NOFILE).toBe("65536");
    expect(limits("512")).toEqual({ TAIYAKU_WORKER_RLIMIT_NOFILE: "1024", TAIYAKU_WORKER_CONNECTIONS: "768" });
    expect(connectionLimits(path.join(os.tmpdir(), "no-such-limits-file")).TAIYAKU_WORKER_CONNECTIONS).toBe("768");
  });
});
