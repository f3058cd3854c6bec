// The API walk (walk.test.mjs) through the Lambda adapter: `booklib lambda` (BOOKLIB_MODE=api) on
// DynamoDB and SQS in the local emulators, behind a stand-in for API Gateway. This file plays the
// Lambda Runtime API (the function long-polls it for events and posts its answers back) and, on a
// second port, API Gateway's HTTP API: each HTTP request becomes a payload 2.0 event (cookies in
// `cookies`, the body base64-encoded), and the function's answer becomes the HTTP answer again.
//
// Environment: BOOKLIB_BINARY, MAKE_BARCODE_PHOTO (optional), API_WORK_DIR, and the emulators'
// variables (scripts/emulators.sh start). Exits 0 when the walk passed.
import { spawn, execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { createWriteStream } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const binary = process.env.BOOKLIB_BINARY;
const workDir = process.env.API_WORK_DIR;
if (!binary || !workDir) { console.error("set BOOKLIB_BINARY and API_WORK_DIR"); process.exit(2); }

// Fresh tables and queue for this run, made by booklib itself.
const suffix = `walk${process.pid}x${Date.now() % 100000}`;
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("BOOKLIB_")));
Object.assign(env, {
  BOOKLIB_STORE: "dynamodb", BOOKLIB_QUEUE: "sqs", BOOKLIB_PASSWORD_ITERATIONS: "1000",
  USERS_TABLE: `Users-${suffix}`, BOOKS_TABLE: `Books-${suffix}`, USER_BOOKS_TABLE: `UserBooks-${suffix}`,
  SECRET_KEY: "s".repeat(48), BOOKLIB_DATA_DIR: path.join(workDir, "lambda"),
  BOOKLIB_GOOGLE_BOOKS_URL: "http://127.0.0.1:9", BOOKLIB_OPEN_LIBRARY_URL: "http://127.0.0.1:9",
});
// (create-tables makes the queue: the configuration check of --queue=sqs does not apply yet.)
const created = execFileSync(binary, ["aws", "create-tables", `--queue-name=Metadata-${suffix}`],
                             { env: { ...env, BOOKLIB_QUEUE: "sqlite" }, encoding: "utf8" });
env.METADATA_QUEUE_URL = created.match(/METADATA_QUEUE_URL=(\S+)/)[1];

// ---- The Runtime API ---------------------------------------------------------------------------
const waitingFunctions = []; // `next` calls waiting for an event
const queuedEvents = [];     // events waiting for a `next` call
const answers = new Map();   // request id -> resolve(answer)
let invocations = 0;

function deliver(response, { id, event }) {
  response.writeHead(200, {
    "Content-Type": "application/json", "Lambda-Runtime-Aws-Request-Id": id,
    "Lambda-Runtime-Deadline-Ms": String(Date.now() + 30000),
    "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:us-east-1:000000000000:function:BookLibrary-API-walk",
  });
  response.end(JSON.stringify(event));
}

function invoke(event) {
  const id = `walk-${++invocations}`;
  return new Promise((resolve) => {
    answers.set(id, resolve);
    const waiting = waitingFunctions.shift();
    if (waiting) deliver(waiting, { id, event }); else queuedEvents.push({ id, event });
  });
}

const runtime = createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const url = request.url;
    if (request.method === "GET" && url === "/2018-06-01/runtime/invocation/next") {
      const queued = queuedEvents.shift();
      if (queued) deliver(response, queued); else waitingFunctions.push(response);
      return;
    }
    const match = url.match(/^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/);
    if (request.method === "POST" && match && answers.has(match[1])) {
      const resolve = answers.get(match[1]);
      answers.delete(match[1]);
      resolve({ error: match[2] === "error", body: Buffer.concat(chunks).toString("utf8") });
      response.writeHead(202, { "Content-Type": "application/json" });
      return response.end('{"status":"OK"}');
    }
    if (request.method === "POST" && url === "/2018-06-01/runtime/init/error") {
      console.error(`the function failed to start: ${Buffer.concat(chunks)}`);
      process.exit(1);
    }
    response.writeHead(404);
    response.end();
  });
});

// ---- API Gateway (HTTP API, payload format 2.0) --------------------------------------------------
const gateway = createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", async () => {
    const [rawPath, rawQuery = ""] = request.url.split("?");
    const headers = {};
    let cookies;
    for (const [name, value] of Object.entries(request.headers)) {
      if (name === "cookie") cookies = value.split(/;\s*/); else headers[name] = Array.isArray(value) ? value.join(",") : value;
    }
    const body = Buffer.concat(chunks);
    const event = {
      version: "2.0", routeKey: "$default", rawPath, rawQueryString: rawQuery, headers,
      requestContext: {
        accountId: "000000000000", apiId: "walk", domainName: headers.host, stage: "$default",
        requestId: `gw-${invocations + 1}`, timeEpoch: Date.now(),
        http: { method: request.method, path: rawPath, protocol: "HTTP/1.1", sourceIp: "198.51.100.7", userAgent: headers["user-agent"] || "" },
      },
      isBase64Encoded: body.length > 0,
    };
    if (cookies) event.cookies = cookies;
    if (body.length > 0) event.body = body.toString("base64");
    const answer = await invoke(event);
    if (answer.error) { response.writeHead(502); return response.end(answer.body); }
    const result = JSON.parse(answer.body);
    const out = { ...(result.headers || {}) };
    if (result.cookies?.length) out["set-cookie"] = result.cookies;
    response.writeHead(result.statusCode, out);
    response.end(result.body ? Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8") : undefined);
  });
});

const listen = (server) => new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port)));
const runtimePort = await listen(runtime);
const gatewayPort = await listen(gateway);

const log = createWriteStream(path.join(workDir, "server.log"));
const fn = spawn(binary, ["lambda"], {
  env: { ...env, BOOKLIB_MODE: "api", AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${runtimePort}` }, stdio: ["ignore", "pipe", "pipe"] });
fn.stdout.pipe(log);
fn.stderr.pipe(log);

// API Gateway is HTTPS: the walk's pages and Origin say https://<host>.
const base = `http://127.0.0.1:${gatewayPort}`;
const walk = spawn(process.execPath, [path.join(here, "walk.test.mjs")], {
  env: { ...process.env, API_BASE_URL: base, API_ORIGIN: `https://127.0.0.1:${gatewayPort}`, API_WORK_DIR: workDir },
  stdio: "inherit" });
const code = await new Promise((resolve) => walk.once("exit", (status) => resolve(status ?? 1)));
fn.kill("SIGTERM");
runtime.close();
gateway.close();
for (const waiting of waitingFunctions) waiting.socket.destroy();
console.log(code === 0 ? "ok: the walk passed through the Lambda adapter" : "the walk through the Lambda adapter failed");
process.exit(code);
