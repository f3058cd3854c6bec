// A fake Lambda Runtime API for the packaging test: serves one event, records what the function
// posts back, then closes the connection of every later `next` call (a runtime that went away).
//
// Usage: node fake_runtime.mjs EVENT_FILE RECORD_FILE
//   Prints the port it listens on (127.0.0.1) as its first line. Appends one JSON line per request
//   to RECORD_FILE: {"method", "path", "body"}.
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [eventFile, recordFile] = process.argv.slice(2);
const event = readFileSync(eventFile, 'utf8');
const nextPath = '/2018-06-01/runtime/invocation/next';
let eventsServed = 0;

const server = createServer((request, response) => {
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk) => { body += chunk; });
  request.on('end', () => {
    appendFileSync(recordFile, JSON.stringify({ method: request.method, path: request.url, body }) + '\n');
    if (request.method === 'GET' && request.url === nextPath) {
      if (eventsServed++ > 0) return request.socket.destroy();
      response.writeHead(200, {
        'Content-Type': 'application/json',
        'Lambda-Runtime-Aws-Request-Id': 'packaged-req-1',
        'Lambda-Runtime-Deadline-Ms': String(Date.now() + 30000),
        'Lambda-Runtime-Invoked-Function-Arn': 'arn:aws:lambda:eu-west-1:111122223333:function:BookLibrary-API-test',
        'Lambda-Runtime-Trace-Id': 'Root=1-00000000-000000000000000000000001;Sampled=0',
      });
      return response.end(event);
    }
    if (request.method === 'POST' && request.url.startsWith('/2018-06-01/runtime/')) {
      response.writeHead(202, { 'Content-Type': 'application/json' });
      return response.end('{"status":"OK"}');
    }
    response.writeHead(404);
    response.end();
  });
});

server.listen(0, '127.0.0.1', () => console.log(server.address().port));
// Never outlive a test that forgot to stop us.
setTimeout(() => process.exit(3), 60000).unref();
